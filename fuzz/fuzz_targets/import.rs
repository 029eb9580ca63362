//! No input makes any importer panic: arbitrary bytes, parsed whole and in chunks, alone and
//! after each format's header (so that every importer's row parser is reached), with the
//! options that change how a file is read; and the number and date readers.
#![no_main]

use folio::domain::currency::Currency;
use folio::domain::import::when::{read_date_time, DateOrder};
use folio::domain::import::{import_bytes, ImportOptions, ImportSession, Started};
use folio::domain::number::{parse_number, DecimalStyle, NumberReader};
use libfuzzer_sys::fuzz_target;

/// A header of each format; the fuzzer's first byte picks one to put before its data.
const HEADERS: [&str; 19] = [
    "\"Type\",\"Buy\",\"Cur.\",\"Sell\",\"Cur.\",\"Fee\",\"Cur.\",\"Exchange\",\"Group\",\"Comment\",\"Date\",\"Tx-ID\"\n",
    "\"Amount\",\"Currency\",\"Current value in USD\",\"Current value in BTC\",\"Exchange\"\n",
    "Instruments,Quantité,Prix actuel,Valeur actuelle (EUR),Symbole,Devise\n",
    "User_ID,UTC_Time,Account,Operation,Coin,Change,Remark\n",
    "Date(UTC),Pair,Side,Price,Executed,Amount,Fee\n",
    "Date(UTC),Market,Type,Price,Amount,Total,Fee,Fee Coin\n",
    "Date(UTC),Method,Amount,Price,Fees,Final Amount,Status,Transaction ID\n",
    "ID,Timestamp,Transaction Type,Asset,Quantity Transacted,Price Currency,Price at Transaction,Subtotal,Total (inclusive of fees and/or spread),Fees and/or Spread,Notes\n",
    "portfolio,type,time,amount,balance,amount/balance unit,transfer id,trade id,order id\n",
    "txid,refid,time,type,subtype,aclass,asset,wallet,amount,fee,balance\n",
    "txid,ordertxid,pair,time,type,ordertype,price,cost,fee,vol,margin,misc,ledgers\n",
    "Timezone,Date,Time,Type,Currency,Amount,Quote Currency,Quote Price,Received / Paid Currency,Received / Paid Amount,Fee currency,Fee amount,Status,Transaction ID,Address\n",
    "Symbol,Type,Quantity,Price,Value,Fees,Date\n",
    "Client ID,Trade Date,Value Date,Type,Instrument,Instrument ISIN,Instrument currency,Exchange Description,Instrument Symbol,Event,Amount,Order ID,Conversion Rate\n",
    "Date,Code,DataSource,Currency,Price,Quantity,Action,Fee,Note\n",
    "datetime;date;account_type;category;type;asset_class;name;symbol;shares;price;amount;fee;tax;currency;original_amount;original_currency;fx_rate;description;transaction_id\n",
    "Type;Ticker;Instrument;Time;Amount;ID;Comment;Product\n",
    "{\"activities\":",
    "",
];

fuzz_target!(|data: &[u8]| {
    let _ = import_bytes("fuzz.csv", data.to_vec(), &ImportOptions::default());
    if let Some((&pick, rest)) = data.split_first() {
        let mut bytes = HEADERS[usize::from(pick) % HEADERS.len()].as_bytes().to_vec();
        bytes.extend_from_slice(rest);
        let options = ImportOptions {
            trade_list_as_transactions: pick & 0x80 != 0,
            number_style: (pick & 0x40 != 0).then_some(DecimalStyle::CommaDecimal),
            time_zone: (pick & 0x20 != 0).then(|| "Europe/Paris".to_string()),
            account_currency: Some(Currency::EUR),
            ..ImportOptions::default()
        };
        let _ = import_bytes("fuzz.csv", bytes.clone(), &options);
        if let Ok(Started::Ready(mut s)) = ImportSession::start("fuzz.csv", bytes, &options) {
            while !s.step(2).finished {}
            let _ = s.finish();
        }
    }
    if let Ok(Started::Ready(mut s)) =
        ImportSession::start("fuzz.csv", data.to_vec(), &ImportOptions::default())
    {
        while !s.step(3).finished {}
        let _ = s.finish();
    }
    if let Ok(text) = std::str::from_utf8(data) {
        for style in [
            DecimalStyle::Auto,
            DecimalStyle::DotDecimal,
            DecimalStyle::CommaDecimal,
        ] {
            let _ = parse_number(text, style);
            let _ = NumberReader::new(style).read(text);
        }
        for order in [DateOrder::Auto, DateOrder::DayFirst, DateOrder::MonthFirst] {
            let _ = read_date_time(text, order);
        }
    }
});
