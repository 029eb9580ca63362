#!/usr/bin/env python3
"""Writes the hand-made import fixtures in tests/fixtures/ byte for byte.

The quirks (BOM, CRLF, Windows-1252, no-break spaces, embedded newlines) are the point of
these files, so they are generated here rather than edited by hand. Run once; the output is
committed. XLSX fixtures need openpyxl (pip install openpyxl)."""
import os, sys

HERE = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures")
BOM = "\ufeff"
NBSP = "\u00a0"


def write(name, text, encoding="utf-8", newline="\n"):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(text.replace("\n", newline).encode(encoding))


write("ct_current_balance.csv", BOM + "\n".join([
    '"Ticker";"Name";"Type";"Amount";"Value in USD";"Value in BTC";"% of total";"Price in BTC";"Price in USD";"Trend 1h in %";"Trend 24h in %";"Trend 7d in %";"Trend 30d in %"',
    '"BTC";"Bitcoin";"Coin";"0.50000000";"50000.00";"0.50000000";"50.00";"1.000000000000";"100000.00000000";"0.1";"0.2";"0.3";"0.4"',
    '"ETH";"Ethereum";"Coin";"10.00000000";"40000.00";"0.40000000";"40.00";"0.040000000000";"4000.00000000";"0";"0";"0";"0"',
    '"APT3";"Aptos";"Coin";"100.00000000";"500.00";"0.00500000";"0.50";"0.000050000000";"5.00000000";"0";"0";"0";"0"',
    '"USD";"US Dollar";"Currency";"9500.00000000";"9500.00";"0.09500000";"9.50";"0.000010000000";"1.00000000";"0";"0";"0";"0"',
    '"ZZTOP";"Mystery";"Coin";"1";"–";"–";"0";"0";"–";"0";"0";"0";"0"',
]) + "\n")

write("ct_balance_by_exchange.csv", BOM + "\n".join([
    '"Amount","Currency","Current value in USD","Current value in BTC","Exchange"',
    '"0.25000000","BTC","25000.00","0.25000000","Ledger Wallets"',
    '"-0.00010000","BTC","-10.00","-0.00010000","Binance"',
    '"2.00000000","ETH","8000.00","0.08000000","Binance"',
    '"1.00000000","ETH","4000.00","0.04000000","Kraken Earn"',
    '"1,000.00000000","USDT","1000.00","0.01000000","Binance"',
    '"50.00000000","SOL2","7500.00","0.07500000","Phantom"',
    '"abc","DOGE","1.00","0.00001000","Binance"',
    '"","XRP","1.00","0.00001000","Binance"',
]) + "\n", newline="\r\n")

write("ct_coins_by_exchange.csv", BOM + "\n".join([
    '"Amount";"Exchange";"Current value in USD";"Current value in BTC";"Coin"',
    '"16.00000000";"Binance";"5000.00";"0.05000000";"AAVE (Aave) by Exchange"',
    '"3843,208.00000000";"Metamask - BSC - Std";"0.02";"0.00000015";"AIR (AirCoin) by Exchange"',
    '"0.44561718";"Metamask - BSC - Std";"0.45";"0.00000406";"4BELT by Exchange"',
    '"2.00000000";"Kraken";"200.00";"0.00200000";"AAVE (Aave) by Exchange"',
    '"10.00000000";"Kraken";"100.00";"0.00100000";"TAO6 (Bittensor) by Exchange"',
]) + "\n", newline="\r\n")

write("ct_trade_list.csv", "\n".join([
    '"Type","Buy","Cur.","Sell","Cur.","Fee","Cur.","Exchange","Group","Comment","Date"',
    '"Deposit","1000.00000000","EUR","-","","","","Kraken","","","01.01.2024 10:00:00"',
    '"Trade","0.02000000","BTC","800.00000000","EUR","2.00","EUR","Kraken","","","02.01.2024 10:00:00"',
    '"Staking","0.00010000","BTC","-","","","","Kraken","","","03.01.2024 10:00:00"',
    '"Withdrawal","-","","0.01000000","BTC","0.00005","BTC","Kraken","","","04.01.2024 10:00:00"',
    '"Deposit","0.01000000","BTC","-","","","","Ledger","","","04.01.2024 10:05:00"',
    '"Income","5","ETH","-","","","","","","Airdrop, with a comma","2024-02-01 10:00:00"',
    '"Lost","-","","1","ETH","","","","","","5/9/2024 21:14"',
    '"Trade","zero","BTC","10","EUR","","","Kraken","","","05.01.2024 10:00:00"',
    '"Trade","1","","10","EUR","","","Kraken","","","05.01.2024 10:00:00"',
    '"Spend","-","","-","","","","Kraken","","","06.01.2024 10:00:00"',
]) + "\n")

saxo_header = ("Instruments,Statut,Sens,Quantité,Prix entrée,Prix actuel,% 1J,+/- Nette (EUR),Valeur actuelle (EUR),"
               "Exposition,Compte,Symbole,Val. actuelle,\"Achat/Vente\n\",Devise,ISIN,Type d'actif")
write("saxo_positions_fr.csv", BOM + "\n".join([
    saxo_header,
    "Actions (2),,,,,,,100.5,12000.5,,,,,,,,",
    'Apple Inc. ,"Ouvert\n",Long,10,150.25,200.5,"0,06%",400.1,1850.25,2' + NBSP + '005 USD,80000/1,AAPL:xnas,2' + NBSP + '005 USD,"200,40 x 200,60",USD,US0378331005,Action',
    'Berkshire Hathaway Inc. - B ,"Ouvert\n",Long,4,300,"1.234,56","0,5%",120.5,4560.75,4' + NBSP + '938 USD,80000/1,BRKb:xnys,4' + NBSP + '938 USD,–,USD,US0846707026,Action',
    "ETP (1),,,,,,,,5000,,,,,,,,",
    'iShares Core MSCI World UCITS ETF ,"Ouvert\n",Long,50,95,100,"0,77%",250,5000,5' + NBSP + '000 EUR,80000/1,IWDA:xams,5' + NBSP + '000 EUR,–,EUR,IE00B4L5Y983,Exchange Traded Fund (ETF)',
    'Old Position ,"Fermé\n",Long,5,10,10,,0,50,,80000/1,OLD:xpar,,–,EUR,FR0000000000,Action',
]) + "\n")

write("saxo_positions_en.csv", "\n".join([
    "Instrument,Status,L/S,Quantity,Open Price,Current Price,Market Value (CHF),Account,Symbol,Currency,ISIN,Asset type",
    "Nestle SA,Open,Long,20,95.5,80.25,1605,ACC1,NESN:xvtx,CHF,CH0038863350,Stock",
    "Shorted Co,Open,Short,3,10,12,-36,ACC1,SHRT:xnas,USD,US0000000001,Stock",
]) + "\n")

write("generic_eu_cp1252.csv", "\n".join([
    "Position;Währung;Menge;Kurs;Wert;Konto",
    "Bitcoin;EUR;0,5;60.000,00;30.000,00;Börse Stuttgart",
    "Gold-Zertifikat;EUR;10;200,00;2.000,00;Comdirect",
]) + "\n", encoding="cp1252")

write("generic_simple.csv", "\n".join([
    "Symbol,Quantity,Price,Currency,Exchange",
    "btc,0.1,100000,USD,Coinbase",
    "ETH,2,4000,USD,Coinbase",
    "Total,,,,",
]) + "\n")

write("generic_with_preamble.csv", "\n".join([
    '""',
    "Transactions ",
    "User,Jane Doe,1234-abcd",
    "Asset,Balance,Value (EUR),Wallet",
    "ADA,1000,350.00,Yoroi",
    "DOT,50,200.00,Polkadot.js",
]) + "\n")

write("generic_unsure.csv", "\n".join([
    "Col A,Col B,Col C",
    "BTC,0.5,Ledger",
    "ETH,3,Ledger",
]) + "\n")

write("garbage.txt", "This is a note to myself.\nIt is not a spreadsheet.\n")

write("malformed_ct.csv", BOM + "\n".join([
    '"Amount","Currency","Current value in USD","Current value in BTC","Exchange"',
    '"lots","BTC","x","y","Binance"',
    '"many","ETH","z","w","Binance"',
]) + "\n")

if "--xlsx" in sys.argv:
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = "Positions"
    ws.append(["Instruments", "Statut", "Sens", "Quantité", "Prix actuel", "Valeur actuelle (EUR)", "Symbole", "Devise", "ISIN", "Type d'actif"])
    ws.append(["Actions (1)", None, None, None, None, 9000.0, None, None, None, None])
    ws.append(["Microsoft Corp. ", "Ouvert\n", "Long", 20, 500.0, 9000.0, "MSFT:xnas", "USD", "US5949181045", "Action"])
    ws.append(["Vanguard FTSE All-World ", "Ouvert", "Long", 30, 120.5, 3615.0, "VWCE:xetr", "EUR", "IE00BK5BQT80", "Exchange Traded Fund (ETF)"])
    wb.save(os.path.join(HERE, "saxo_positions.xlsx"))
