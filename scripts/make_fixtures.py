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

# ---- Transaction exports (issue 18). One file per format, each quirk in a row. ----

write("ct_trade_list_types.csv", "\n".join([
    '"Type","Buy","Cur.","Sell","Cur.","Fee","Cur.","Exchange","Group","Comment","Date","Tx-ID"',
    '"Deposit","1000.00000000","EUR","-","","","","Kraken","","","01.02.2024 10:00:00","d1"',
    '"Trade","0.02000000","BTC","800.00000000","EUR","2.00","EUR","Kraken","","","2024-02-02 10:00:00","t1"',
    '"Gift/Tip","0.001","BTC","","","","","Ledger Wallet","","a gift","2/3/2024 9:05",""',
    '"Reward/Bonus","10","USDT","","","","","Binance","","","03.02.2024 10:00:00",""',
    '"Mining","0.5","ETH","","","","","","","","03.02.2024 11:00:00",""',
    '"Masternode","100","DASH2","","","","","Binance","","","03.02.2024 12:00:00",""',
    '"Airdrop","50","ARB","","","","","Binance","","","03.02.2024 13:00:00",""',
    '"Staking","0.1","ETH","","","","","Binance","","","03.02.2024 14:00:00",""',
    '"Interest Income","1.5","USDT","","","","","Binance","","","03.02.2024 15:00:00",""',
    '"Margin Profit","5","USDT","","","","","Binance","","","04.02.2024 10:00:00",""',
    '"Margin Loss","","","2","USDT","","","Binance","","","04.02.2024 11:00:00",""',
    '"Margin Fee","","","0.5","USDT","0.25","USDT","Binance","","","04.02.2024 12:00:00",""',
    '"Spend","","","0.0001","BTC","","","Kraken","","coffee","05.02.2024 10:00:00",""',
    '"Donation","","","1","USDT","","","Binance","","","05.02.2024 11:00:00",""',
    '"Gift","","","1","USDT","","","Binance","","","05.02.2024 12:00:00",""',
    '"Lost","","","0.1","ETH","","","","","","05.02.2024 13:00:00",""',
    '"Stolen","","","10","ARB","","","Binance","","","05.02.2024 14:00:00",""',
    '"Withdrawal","-","","0.01000000","BTC","0.00005","BTC","Kraken","","","06.02.2024 10:00:00","w1"',
    '"Liquidity Pool","1","LP","","","","","Binance","","","07.02.2024 10:00:00",""',
    '"Trade","1","ETH","-","","","","Binance","","","31.02.2024 10:00:00",""',
]) + "\n")

write("binance_statement.csv", "\n".join([
    "UTC_Time,Account,Operation,Coin,Change,Remark",
    "2024-01-01 10:00:00,Spot,Deposit,EUR,1000,",
    "2024-01-01 10:05:00,Spot,Buy,BTC,0.02,",
    "2024-01-01 10:05:00,Spot,Buy,EUR,-800,",
    "2024-01-01 10:05:00,Spot,Fee,BNB,-0.01,",
    "2024-01-01 10:05:00,Spot,Buy,BTC,0.005,",
    "2024-01-01 10:05:00,Spot,Buy,EUR,-200,",
    "2024-01-02 09:00:00,Spot,Transfer Between Main and Funding Wallet,EUR,-100,",
    "2024-01-02 09:00:00,Funding,Transfer Between Main and Funding Wallet,EUR,100,",
    "2024-01-03 09:00:00,Spot,Simple Earn Flexible Subscription,BTC,-0.01,",
    "2024-01-04 09:00:00,Earn,Simple Earn Flexible Interest,BTC,1.5E-06,",
    "2024-01-05 09:00:00,Spot,Simple Earn Flexible Redemption,BTC,0.01,",
    "2024-01-06 09:00:00,Spot,Small assets exchange BNB,SHIB,-1000,",
    "2024-01-06 09:00:00,Spot,Small assets exchange BNB,DOGE,-3,",
    "2024-01-06 09:00:00,Spot,Small assets exchange BNB,BNB,0.004,",
    "2024-01-07 09:00:00,Spot,Binance Convert,EUR,-50,",
    "2024-01-07 09:00:00,Spot,Binance Convert,USDT,54.1,",
    "2024-01-08 09:00:00,Spot,Transfer Between Spot Account and UM Futures Account,USDT,-54.1,",
    "2024-01-08 09:00:00,USDT-Futures,Transfer Between Spot Account and UM Futures Account,USDT,54.1,",
    "2024-01-09 09:00:00,USDT-Futures,Realized Profit and Loss,USDT,-4.1,",
    "2024-01-09 10:00:00,USDT-Futures,Funding Fee,USDT,-0.05,",
    "2024-01-09 11:00:00,USDT-Futures,Funding Fee,USDT,0.02,",
    "2024-01-10 09:00:00,Spot,Withdraw,BTC,-0.015,to my Ledger",
    "2024-01-11 09:00:00,Spot,Distribution,ETF,6.0E-7,",
    "2024-01-12 09:00:00,Spot,Mystery Box Bonus,BNB,1,",
    "2024-01-13 09:00:00,Spot,Deposit,EUR,abc,",
]) + "\n")

write("binance_trades.csv", "\n".join([
    "\ufeffDate(UTC),Pair,Side,Price,Executed,Amount,Fee",
    "2022-03-01 10:00:00,SOLBUSD,BUY,110.03,0.1800000000SOL,19.8054BUSD,0.0198054BUSD",
    "2022-03-02 10:00:00,1INCHUSDT,SELL,1.5,10.01INCH,15.015USDT,0.00001BNB",
    '2022-03-03 10:00:00,BTCUSDT,BUY,"40,000",0.01BTC,"400.00USDT",0.00001BTC',
    "2022-03-04 10:00:00,BTCUSDT,HOLD,40000,0.01BTC,400USDT,0",
    "2022-03-05 10:00:00,BTCUSDT,BUY,40000,lots,400USDT,0",
]) + "\n")

write("binance_trades_old.csv", "\n".join([
    "Date(UTC),Market,Type,Price,Amount,Total,Fee,Fee Coin",
    "2018-01-01 10:00:00,BNBBTC,BUY,0.001,100,0.1,0.05,BNB",
    "2018-01-02 10:00:00,ETHUSDT,SELL,700,1,700,0.7,USDT",
]) + "\n")

write("coinbase_transactions.csv", "\n".join([
    '""',
    "Transactions",
    "User,Jane Doe,1234-abcd",
    "ID,Timestamp,Transaction Type,Asset,Quantity Transacted,Price Currency,Price at Transaction,Subtotal,Total (inclusive of fees and/or spread),Fees and/or Spread,Notes",
    "a1,2025-01-02 10:00:00 UTC,Deposit,EUR,100,EUR,€1.00,€100.00,€100.00,€0.00,Deposited 100 EUR",
    "a2,2025-01-03 10:00:00 UTC,Buy,BTC,0.001,EUR,€90000.00,€90.00,€91.49,€1.49,Bought 0.001 BTC for €91.49 EUR",
    'a3,2025-01-04 10:00:00 UTC,Advanced Trade Buy,ETH,0.5,EUR,"€3,000.00","€1,500.00","€1,500.00",€0.00,Bought 0.5 ETH for 1620 USDC on ETH-USDC at 3240 USDC/ETH',
    "a4,2025-01-05 10:00:00 UTC,Convert,BTC,-0.0005,EUR,€90000.00,€45.00,€45.50,,Converted 0.0005 BTC to 150.5 XRP",
    "a5,2025-01-06 10:00:00 UTC,Send,XRP,-50,EUR,€0.30,-€15.00,-€15.00,€0.00,Sent 50 XRP to rXYZ",
    "a6,2025-01-07 10:00:00 UTC,Receive,ETH,0.1,EUR,€3000.00,€300.00,€300.00,€0.00,Received 0.1 ETH from an external account",
    "a7,2025-01-08 10:00:00 UTC,Receive,USDC,5,EUR,€0.95,€4.75,€4.75,€0.00,Received 5 USDC from Coinbase Rewards",
    "a8,2025-01-09 10:00:00 UTC,Exchange Deposit,ETH,-0.2,EUR,€3000.00,-€600.00,-€600.00,€0.00,Transferred to Coinbase Pro",
    "a9,2025-01-10 10:00:00 UTC,Retail Staking Transfer,ETH,-0.3,EUR,€3000.00,-€900.00,-€900.00,€0.00,",
    "a10,2025-01-11 10:00:00 UTC,Sell,ETH,-0.1,EUR,€3100.00,€310.00,€305.00,€5.00,Sold 0.1 ETH for €305.00 EUR",
    "a11,2025-01-12 10:00:00 UTC,Withdrawal,EUR,-50,EUR,€1.00,-€50.00,-€50.00,€0.15,Withdrew 50 EUR",
    "a12,2025-01-13 10:00:00 UTC,Staking Income,ETH,0.0001,EUR,€3000.00,€0.30,€0.30,€0.00,",
    "a13,2025-01-14 10:00:00 UTC,Mystery Type,ETH,1,EUR,€1.00,€1.00,€1.00,€0.00,",
    "a14,2025-01-15 10:00:00 UTC,Convert,BTC,-0.0001,EUR,€90000.00,€9.00,€9.10,,no conversion note",
]) + "\n")

write("coinbase_transactions_v1.csv", "\n".join([
    "Timestamp,Transaction Type,Asset,Quantity Transacted,GBP Spot Price at Transaction,GBP Subtotal,GBP Total (inclusive of fees),GBP Fees,Notes",
    "2021-04-01T10:00:00Z,Buy,BTC,0.01,45000,450,457.5,7.5,Bought 0.0100 BTC for £457.50 GBP",
]) + "\n")

write("coinbase_pro.csv", "\n".join([
    "portfolio,type,time,amount,balance,amount/balance unit,transfer id,trade id,order id",
    "default,deposit,2021-01-01T10:00:00.000Z,1000,1000,USD,t-1,,",
    "default,match,2021-01-01T10:05:00.123Z,0.02,0.02,BTC,,501,o-1",
    "default,match,2021-01-01T10:05:00.123Z,-600,400,USD,,501,o-1",
    "default,fee,2021-01-01T10:05:00.123Z,-3,397,USD,,501,o-1",
    "default,rebate,2021-01-02T10:00:00.000Z,0.5,397.5,USD,,,",
    "default,transfer,2021-01-03T10:00:00.000Z,-100,297.5,USD,t-2,,",
    "savings,transfer,2021-01-03T10:00:00.000Z,100,100,USD,t-2,,",
    "default,withdrawal,2021-01-04T10:00:00.000Z,-0.01,0.01,BTC,t-3,,",
    "default,match,2021-01-05T10:00:00.000Z,0.01,0.02,BTC,,502,o-2",
    "default,margin call,2021-01-06T10:00:00.000Z,1,0.02,BTC,,,",
]) + "\n")

write("kraken_ledgers_old.csv", "\n".join([
    '"txid","refid","time","type","subtype","aclass","asset","amount","fee","balance"',
    '"L1","R1","2020-01-01 10:00:00","deposit","","currency","ZEUR",1000.0000,0.0000,1000.0000',
    '"L2","T1","2020-01-02 10:00:00","trade","","currency","ZEUR",-500.0000,0.8000,499.2000',
    '"L3","T1","2020-01-02 10:00:00","trade","","currency","XXBT",0.0700000000,0.0000000000,0.0700000000',
    '"","R2","2020-01-03 10:00:00","deposit","","currency","XXBT",0.0100000000,0.0000000000,',
    '"L4","R3","2020-01-04 10:00:00","transfer","spottostaking","currency","DOT",-10.0000000000,0.0000000000,0.0000000000',
    '"L5","R4","2020-01-04 10:05:00","transfer","stakingfromspot","currency","DOT.S",10.0000000000,0.0000000000,10.0000000000',
    '"L6","R5","2020-01-05 10:00:00","staking","","currency","DOT.S",0.0500000000,0.0000000000,10.0500000000',
    '"L7","R6","2020-01-06 10:00:00","withdrawal","","currency","XXBT",-0.0500000000,0.0005000000,0.0195000000',
    '"L8","R7","2020-01-07 10:00:00","earn","allocation","currency","XXBT",-0.0100000000,0.0000000000,0.0095000000',
    '"L9","R8","2020-01-07 10:00:00","earn","allocation","currency","XBT.M",0.0100000000,0.0000000000,0.0100000000',
    '"L10","R9","2020-01-08 10:00:00","earn","reward","currency","XBT.M",0.0000100000,0.0000000000,0.0100100000',
    '"L11","R10","2020-01-09 10:00:00","nfttrade","","currency","ZEUR",-1.0000,0.0000,498.2000',
]) + "\n")

write("kraken_trades_old.csv", "\n".join([
    "txid,ordertxid,pair,time,type,ordertype,price,cost,fee,vol,margin,misc,ledgers",
    "T1,O1,XXBTZEUR,2020-01-02 10:00:00.1234,buy,limit,7142.85,500.0,0.8,0.07,0.0,,\"L2,L3\"",
    "T2,O2,XETHZEUR,2020-01-10 10:00:00,sell,market,150.0,150.0,0.24,1.0,0.0,,\"L12,L13\"",
]) + "\n")

write("bitvavo.csv", "\n".join([
    "Timezone,Date,Time,Type,Currency,Amount,Quote Currency,Quote Price,Received / Paid Currency,Received / Paid Amount,Fee currency,Fee amount,Status,Transaction ID,Address",
    "Europe/Amsterdam,2024-07-01,12:00:00,deposit,EUR,100,,,,,EUR,0,Completed,b1,NL12***34",
    "Europe/Amsterdam,2024-07-01,12:05:30.250,buy,BTC,0.001,EUR,59000,EUR,-59.15,EUR,0.15,Completed,b2,",
    "Europe/Amsterdam,2024-12-01,09:00:00,sell,BTC,-0.0005,EUR,90000,EUR,44.89,EUR,0.11,Completed,b3,",
    "Europe/Amsterdam,2024-12-02,09:00:00,staking,ETH,0.0001,,,,,,,Completed,b4,",
    "Europe/Amsterdam,2024-12-03,09:00:00,buy,ETH,1,EUR,3000,EUR,-3000,EUR,7.5,Canceled,b5,",
    "Europe/Amsterdam,2024-12-04,09:00:00,withdrawal,BTC,-0.0002,,,,,BTC,0.00001,Completed,b6,bc1q",
]) + "\n")

write("revolut.csv", "\n".join([
    "Symbol,Type,Quantity,Price,Value,Fees,Date",
    'BTC,Buy,0.001,"$60,000.00",$60.00,$0.90,"Jan 5, 2024, 9:00:00 AM"',
    'BTC,Sell,0.0005,"$62,000.00",$31.00,$0.46,"Feb 5, 2024, 12:30:00 PM"',
    'ETH,Buy,1,"2,500.00 EUR","2,500.00 EUR",12.50 EUR,"Mar 1, 2024, 11:59:59 PM"',
    'ETH,Stake,0.5,"2,500.00 EUR","1,250.00 EUR",0.00 EUR,"Mar 2, 2024, 8:00:00 AM"',
    'ETH,Unstake,0.2,"2,500.00 EUR",500.00 EUR,0.00 EUR,"Mar 3, 2024, 8:00:00 AM"',
    'ETH,Staking reward,0.001,"2,500.00 EUR",2.50 EUR,0.00 EUR,"Mar 4, 2024, 8:00:00 AM"',
    'BTC,Send,0.0002,"$62,000.00",$12.40,$0.00,"Mar 5, 2024, 8:00:00 AM"',
    'DOGE,Exchange,1,$0.10,$0.10,$0.00,"Mar 6, 2024, 8:00:00 AM"',
]) + "\n")

write("saxo_transactions_fr.csv", "\n".join([
    "ID client,Date d'opération,Date de valeur,Type,Instrument,ISIN de l'instrument,Devise de l'instrument,Symbole de l'instrument,Événement,Montant,Taux de change",
    "80000,02-janv.-2025,02-janv.-2025,Transfert d'espèces,,,EUR,,Dépôt,\"1000,00\",1",
    "80000,03-févr.-2025,05-févr.-2025,Opération,Air Liquide,FR0000120073,EUR,AI:xpar,\"Acheter 2 @ 170,50 EUR\",\"-345,00\",1",
    "80000,10-mars-2025,10-mars-2025,Opération sur titres,Air Liquide,FR0000120073,EUR,AI:xpar,Dividende,\"5,80\",1",
    "80000,01-avr.-2025,01-avr.-2025,Montant de liquidités,,,EUR,,Frais de garde,\"-1,20\",1",
    "80000,08-août-2025,08-août-2025,Opération,Apple Inc.,US0378331005,USD,AAPL:xnas,Acheter 1 @ 200 USD,\"-185,00\",\"0,925\"",
    "80000,09-août-2025,09-août-2025,Opération sur titres,Air Liquide,FR0000120073,EUR,AI:xpar,Division d'actions,0,1",
]) + "\n")

write("saxo_transactions_nl.csv", "\n".join([
    "Klant-ID,Transactiedatum,Valutadatum,Type,Instrument,Instrument ISIN,Valuta instrument,Instrumentsymbool,Gebeurtenis,Bedrag,Conversiekoers",
    "123,16-jan-2025,20-jan-2025,Transactie,Vanguard S&P 500 Dist UCITS ETF,IE00B3XXRP09,EUR,VUSA:xams,Koop 1.5 @ 110.01 EUR,\"-166,02\",1",
    "123,17-mrt-2025,17-mrt-2025,Transactie,Vanguard S&P 500 Dist UCITS ETF,IE00B3XXRP09,EUR,VUSA:xams,Verkoop 0.5 @ 112.00 EUR,\"55,00\",1",
    "123,18-mei-2025,18-mei-2025,Kasoverboeking,,,EUR,,Storting,200,1",
]) + "\n")

write("ghostfolio.json", """{
  "meta": {"date": "2024-05-01T00:00:00.000Z", "version": "2.70.0"},
  "accounts": [
    {"balance": 0, "comment": null, "currency": "CHF", "id": "acc-1", "isExcluded": false, "name": "My Broker", "platformId": "plat-1"}
  ],
  "platforms": [{"id": "plat-1", "name": "Swissquote", "url": "https://swissquote.ch"}],
  "assetProfiles": [
    {"currency": "CHF", "dataSource": "MANUAL", "name": "Gold bar", "symbol": "5f1b-uuid"}
  ],
  "tags": [],
  "activities": [
    {"accountId": "acc-1", "comment": null, "fee": 9, "quantity": 10, "type": "BUY", "unitPrice": 100.5, "currency": "CHF", "dataSource": "YAHOO", "date": "2024-01-15T00:00:00.000Z", "symbol": "NESN.SW"},
    {"accountId": "acc-1", "comment": "half", "fee": 9, "quantity": 5, "type": "SELL", "unitPrice": 110, "currency": "CHF", "dataSource": "YAHOO", "date": "2024-02-15T00:00:00.000Z", "symbol": "NESN.SW"},
    {"accountId": "acc-1", "comment": null, "fee": 0, "quantity": 5, "type": "DIVIDEND", "unitPrice": 3, "currency": "CHF", "dataSource": "YAHOO", "date": "2024-04-20T00:00:00.000Z", "symbol": "NESN.SW"},
    {"accountId": null, "comment": null, "fee": 0, "quantity": 1, "type": "ITEM", "unitPrice": 7000, "currency": "CHF", "dataSource": "MANUAL", "date": "2024-03-01T00:00:00.000Z", "symbol": "5f1b-uuid"},
    {"accountId": "acc-1", "comment": null, "fee": 0, "quantity": 1, "type": "LIABILITY", "unitPrice": 500, "currency": "CHF", "dataSource": "MANUAL", "date": "2024-03-02T00:00:00.000Z", "symbol": "loan"}
  ]
}
""")

write("ghostfolio_accounts.csv", "\n".join([
    "Date,Symbol,Type,Qty,UnitPrice,Commission,CCY,Account,Comment",
    "2024-01-15,AAPL,BUY,2,180.25,1,USD,IBKR,",
    "15.02.2024,AAPL,DIVIDEND,2,0.24,0,USD,IBKR,q1",
    "2024/03/01,bitcoin,BUY,0.01,60000,0,USD,Wallet,",
    "20240401,,INTEREST,1,2.5,0,USD,IBKR,",
    "2024-05-01,AAPL,SPLIT,4,0,0,USD,IBKR,",
]) + "\n")

write("trade_republic.csv", "\n".join([
    "datetime;date;account_type;category;type;asset_class;name;symbol;shares;price;amount;fee;tax;currency;original_amount;original_currency;fx_rate;description;transaction_id;value_date;counterparty_name;counterparty_iban;payment_reference",
    "2024-01-02T09:00:00.000000Z;2024-01-02;DEFAULT;CASH;CUSTOMER_INPAYMENT;;;;;;1000.000000;;;EUR;;;;Customer inpayment;tr-1;2024-01-02;;;",
    "2024-01-03T10:00:00.000000Z;2024-01-03;DEFAULT;TRADING;BUY;FUND;iShares Core MSCI World;IE00B4L5Y983;10.0000000000;80.000000;-800.00;-1.00;;EUR;;;;BUY IE00B4L5Y983;tr-2;2024-01-05;;;",
    "2024-03-01T00:00:00.000000Z;2024-03-01;DEFAULT;CASH;DIVIDEND;FUND;iShares Core MSCI World;IE00B4L5Y983;;;2.50;;-0.66;EUR;;;;Dividend;tr-3;2024-03-01;;;",
    "2024-04-01T00:00:00.000000Z;2024-04-01;DEFAULT;CASH;INTEREST_PAYMENT;;;;;;3.10;;;EUR;;;;Interest;tr-4;2024-04-01;;;",
    "2024-05-01T12:00:00.000000Z;2024-05-01;DEFAULT;CASH;CUSTOMER_OUTPAYMENT;;;;;;-100.00;;;EUR;;;;Payout;tr-5;2024-05-01;;;",
    "2024-06-01T12:00:00.000000Z;2024-06-01;DEFAULT;TRADING;SELL;FUND;iShares Core MSCI World;IE00B4L5Y983;-4.0000000000;90.000000;360.00;-1.00;-5.20;EUR;;;;SELL IE00B4L5Y983;tr-6;2024-06-03;;;",
    "2024-07-01T12:00:00.000000Z;2024-07-01;DEFAULT;CARD;CARD_TRANSACTION;;;;;;-12.00;;;EUR;;;;Coffee;tr-7;2024-07-01;;;",
]) + "\n")

write("xtb_EUR_cash_operations.csv", "\n".join([
    "Account number;51234567;;;;;;",
    "Cash Operations;;;;;;;",
    "Date from (UTC);2025-01-01 00:00:00;;;;;;",
    "Date to (UTC);2025-06-04 17:32:50;;;;;;",
    "Type;Ticker;Instrument;Time;Amount;ID;Comment;Product",
    "Deposit;;;2025-01-02 09:00:00;1.000;1;Deposit;My Trades",
    "Stock purchase;EXAM.DE;Example ETF;2025-01-03 10:00:00;-50,25;2;OPEN BUY 2 @ 25.125;My Trades",
    "Stock sell;EXAM.DE;Example ETF;2025-01-04 10:00:00;24,75;3;CLOSE BUY 0.5 @ 49.5;My Trades",
    "DIVIDENT;EXAM.DE;Example ETF;2025-01-10 10:00:00;0,35;4;EXAM.DE EUR 0.3500/ SHR;My Trades",
    "Withholding tax;EXAM.DE;Example ETF;2025-01-10 10:00:00;-0,05;5;WHT;My Trades",
    "Free-funds Interest;;;2025-02-01 00:00:00;1,20;6;Free-funds Interest;My Trades",
    "Subaccount Transfer;;;2025-02-02 00:00:00;-10;7;Transfer to USD account;My Trades",
    "Withdrawal;;;2025-02-03 09:00:00;-10;8;Withdrawal;My Trades",
    "Stock purchase;EXAM.DE;Example ETF;2025-02-04 10:00:00;-10;9;market order;My Trades",
    "Total;;;;955,25;;;",
]) + "\n")

write("generic_transactions.csv", "\n".join([
    "Datum;Transaktion;Wertpapier;Stück;Kurs;Gebühren;Währung;Depot",
    "03.04.2024;Kauf;AAPL;10;170,50;1,00;USD;Broker A",
    "04/15/2024;Verkauf;AAPL;-4;180;1;USD;Broker A",
    "20.04.2024;Dividende;AAPL;6;0,24;0;USD;Broker A",
    "21.04.2024;Einzahlung;USD;500;;0;USD;Broker B",
    "22.04.2024;Split;AAPL;4;;0;USD;Broker A",
    "Summe;;;;;;;",
]) + "\n")

write("generic_comma_decimal.csv", "\n".join([
    "Symbol;Quantity;Value;Currency",
    'BTC;"1,500";"90.000,00";EUR',
    "ETH;2,25;6.750,00;EUR",
]) + "\n")

write("generic_late_comma.csv", "\n".join(
    ["Symbol;Quantity;Value;Currency"]
    + [f"C{i};1,500;100;EUR" for i in range(40)]
    + ["LAST;0,75;10;EUR"]
) + "\n")

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


if "--saxo-transactions-xlsx" in sys.argv:
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = "Transactions"
    ws.append(["Client ID", "Trade Date", "Value Date", "Type", "Instrument", "Instrument ISIN", "Instrument currency", "Instrument Symbol", "Event", "Amount", "Conversion Rate"])
    ws.append(["70001", "02-Apr-2025", "04-Apr-2025", "Trade", "Microsoft Corp.", "US5949181045", "USD", "MSFT:xnas", "Buy 2 @ 380.00 USD", -761.0, 1.0])
    ws.append(["70001", "03-Apr-2025", "03-Apr-2025", "Cash Transfer", None, None, "USD", None, "Deposit", 1000.0, 1.0])
    ws.append(["70001", "10-Apr-2025", "10-Apr-2025", "Corporate action", "Microsoft Corp.", "US5949181045", "USD", "MSFT:xnas", "Dividend", 1.66, 1.0])
    wb.save(os.path.join(HERE, "saxo_transactions.xlsx"))
