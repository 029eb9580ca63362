//! Property tests: no input makes any importer or the number and date readers panic, and
//! chunked parsing always agrees with whole-file parsing. Every format's header is tried
//! with rows of arbitrary cells, with and without the options that change how a file is
//! read. (The cargo-fuzz target in `fuzz/` explores the same property with coverage
//! guidance.)
#![cfg(not(target_arch = "wasm32"))]

use folio::domain::import::when::{read_date_time, DateOrder};
use folio::domain::import::{import_bytes, ImportOptions, ImportSession, Started};
use folio::domain::number::{evidence, parse_number, DecimalStyle, NumberReader};
use proptest::prelude::*;

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        "[-+]?[0-9]{0,6}([.,][0-9]{0,4}){0,3}",
        "[A-Z]{1,6}[0-9]?( \\([A-Za-z]+\\) by Exchange)?",
        "\"[^\"]{0,8}\"",
        Just("–".to_string()),
        Just("\u{a0}".to_string()),
        "[ -~]{0,10}",
        // Dates, signed amounts with units, types the transaction importers know.
        "20[0-9]{2}-[01][0-9]-[0-3][0-9]( [0-2][0-9]:[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,4})?( UTC|Z)?)?",
        "[0-3][0-9][-.][A-Za-z]{3}[-.]20[0-9]{2}",
        "[A-Z][a-z]{2} [0-9]{1,2}, 20[0-9]{2}, [0-9]{1,2}:[0-9]{2}:[0-9]{2} [AP]M",
        "-?[€$]?[0-9]{1,4}([.,][0-9]{1,8})?( ?[A-Z]{3,4})?",
        "(Buy|Sell|Koop|Acheter) [0-9]{1,3}(\\.[0-9]{1,2})? @ [0-9]{1,4}\\.[0-9]{2} [A-Z]{3}",
        prop_oneof![
            Just("Trade"), Just("Deposit"), Just("Withdrawal"), Just("Staking"), Just("Buy"),
            Just("Sell"), Just("Fee"), Just("Transaction Related"), Just("Small assets exchange BNB"),
            Just("Transfer Between Main and Funding Wallet"), Just("trade"), Just("deposit"),
            Just("earn"), Just("spottostaking"), Just("Convert"), Just("Send"), Just("Receive"),
            Just("match"), Just("fee"), Just("Completed"), Just("Europe/Amsterdam"),
            Just("Cash Transfer"), Just("Corporate action"), Just("Dividend"), Just("BUY"),
            Just("DIVIDEND"), Just("Stock purchase"), Just("OPEN BUY 2 @ 25.125"), Just("XXBT"),
            Just("ZEUR"), Just("DOT.S"), Just("SOLBUSD"), Just("0.18SOL"), Just("1INCHUSDT"),
        ]
        .prop_map(str::to_string),
    ]
}

/// Every header a format is recognised by (positions and transactions).
const HEADERS: [&str; 22] = [
    "\"Amount\",\"Currency\",\"Current value in USD\",\"Current value in BTC\",\"Exchange\"",
    "\"Ticker\";\"Name\";\"Type\";\"Amount\";\"Value in USD\"",
    "\"Type\",\"Buy\",\"Cur.\",\"Sell\",\"Cur.\",\"Fee\",\"Cur.\",\"Exchange\",\"Group\",\"Comment\",\"Date\",\"Tx-ID\"",
    "Instruments,Quantité,Prix actuel,Valeur actuelle (EUR),Symbole,Devise",
    "Symbol,Quantity,Value",
    "User_ID,UTC_Time,Account,Operation,Coin,Change,Remark",
    "Date(UTC),Pair,Side,Price,Executed,Amount,Fee",
    "Date(UTC),Market,Type,Price,Amount,Total,Fee,Fee Coin",
    "Date(UTC),Method,Amount,Price,Fees,Final Amount,Status,Transaction ID",
    "ID,Timestamp,Transaction Type,Asset,Quantity Transacted,Price Currency,Price at Transaction,Subtotal,Total (inclusive of fees and/or spread),Fees and/or Spread,Notes",
    "Timestamp,Transaction Type,Asset,Quantity Transacted,EUR Spot Price at Transaction,EUR Subtotal,EUR Total (inclusive of fees),EUR Fees,Notes",
    "portfolio,type,time,amount,balance,amount/balance unit,transfer id,trade id,order id",
    "\"txid\",\"refid\",\"time\",\"type\",\"subtype\",\"aclass\",\"asset\",\"wallet\",\"amount\",\"fee\",\"balance\"",
    "txid,ordertxid,pair,time,type,ordertype,price,cost,fee,vol,margin,misc,ledgers",
    "Timezone,Date,Time,Type,Currency,Amount,Quote Currency,Quote Price,Received / Paid Currency,Received / Paid Amount,Fee currency,Fee amount,Status,Transaction ID,Address",
    "Symbol,Type,Quantity,Price,Value,Fees,Date",
    "Client ID,Trade Date,Value Date,Type,Instrument,Instrument ISIN,Instrument currency,Exchange Description,Instrument Symbol,Event,Amount,Order ID,Conversion Rate",
    "Date,Code,DataSource,Currency,Price,Quantity,Action,Fee,Note",
    "datetime;date;account_type;category;type;asset_class;name;symbol;shares;price;amount;fee;tax;currency;original_amount;original_currency;fx_rate;description;transaction_id",
    "Type;Ticker;Instrument;Time;Amount;ID;Comment;Product",
    "Datum;Transaktion;Wertpapier;Stück;Kurs;Gebühren;Währung;Depot",
    "Date,Type,Asset,Qty,Fee",
];

fn options() -> impl Strategy<Value = ImportOptions> {
    (
        any::<bool>(),
        prop_oneof![
            Just(None),
            Just(Some(DecimalStyle::CommaDecimal)),
            Just(Some(DecimalStyle::DotDecimal))
        ],
        prop_oneof![Just(None), Just(Some("Europe/Paris".to_string()))],
    )
        .prop_map(
            |(trade_list_as_transactions, number_style, time_zone)| ImportOptions {
                trade_list_as_transactions,
                number_style,
                time_zone,
                account_currency: Some(folio::domain::currency::Currency::EUR),
                ..ImportOptions::default()
            },
        )
}

fn table() -> impl Strategy<Value = String> {
    let header = (0..HEADERS.len()).prop_map(|i| HEADERS[i].to_string());
    (
        header,
        prop::collection::vec(prop::collection::vec(cell(), 0..16), 0..12),
        prop_oneof![Just(","), Just(";")],
        prop_oneof![Just("\n"), Just("\r\n")],
    )
        .prop_map(|(h, rows, d, nl)| {
            let mut s = h;
            for r in rows {
                s.push_str(nl);
                s.push_str(&r.join(d));
            }
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = import_bytes("x.csv", bytes, &ImportOptions::default());
    }

    #[test]
    fn near_valid_tables_never_panic_and_chunking_agrees(text in table(), chunk in 1usize..5, options in options()) {
        let whole = import_bytes("x.csv", text.clone().into_bytes(), &options);
        if let Ok(Started::Ready(mut s)) = ImportSession::start("x.csv", text.into_bytes(), &options) {
            while !s.step(chunk).finished {}
            let chunked = s.finish();
            let whole = whole.expect("same input").expect("same detection");
            prop_assert_eq!(chunked, whole);
        }
    }

    #[test]
    fn numbers_never_panic(s in "\\PC{0,24}") {
        for style in [DecimalStyle::Auto, DecimalStyle::DotDecimal, DecimalStyle::CommaDecimal] {
            if let Ok(Some(v)) = parse_number(&s, style) {
                prop_assert!(v.is_finite());
            }
            if let Ok(Some(v)) = NumberReader::new(style).read(&s) {
                prop_assert!(v.is_finite());
            }
        }
        let _ = evidence(&s);
    }

    #[test]
    fn dates_never_panic(s in "\\PC{0,32}") {
        for order in [DateOrder::Auto, DateOrder::DayFirst, DateOrder::MonthFirst] {
            let _ = read_date_time(&s, order);
        }
    }

    #[test]
    fn json_never_panics(s in "\\{[ -~]{0,200}") {
        let _ = import_bytes("x.json", s.into_bytes(), &ImportOptions::default());
    }

    /// A cell both styles read is read as the file's other cells say.
    #[test]
    fn an_ambiguous_cell_follows_the_rest_of_the_file(
        lead in 1u32..1000, tail in 0u32..1000, comma_file in any::<bool>(), rows in 1usize..50,
    ) {
        let ambiguous = format!("{lead},{tail:03}");
        let decider = if comma_file { "0,5" } else { "0.5" };
        let mut text = String::from("Symbol;Quantity;Value\n");
        for i in 0..rows {
            text.push_str(&format!("A{i};\"{ambiguous}\";1\n"));
        }
        text.push_str(&format!("Z;{decider};1\n"));
        let out = import_bytes("x.csv", text.into_bytes(), &ImportOptions::default()).unwrap().unwrap();
        let expected = if comma_file {
            f64::from(lead) + f64::from(tail) / 1000.0
        } else {
            f64::from(lead) * 1000.0 + f64::from(tail)
        };
        for h in out.holdings.iter().filter(|h| h.symbol != "Z") {
            prop_assert!((h.quantity - expected).abs() < 1e-9, "{} != {}", h.quantity, expected);
        }
    }
}
