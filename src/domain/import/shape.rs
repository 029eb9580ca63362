//! Whether a table Folio could not recognise looks like a portfolio at all, judged from its
//! header and first rows, before asking the user to map its columns: a list of addresses or
//! a bank statement should be told so, not offered a mapping form.

use crate::domain::import::MappingRequest;
use crate::domain::number::{parse_number, DecimalStyle};

/// What the first rows of an unrecognised table look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableShape {
    /// A column of symbols and a column of quantities: worth mapping.
    Portfolio,
    /// A header and no rows.
    NoRows,
    /// No column looks like symbols, or none like quantities.
    NotPortfolio {
        /// A column holds what look like symbols (`BTC`, `AAPL`, `BRK.B`).
        symbols: bool,
        /// A column holds numbers.
        quantities: bool,
    },
}

/// A cell that reads like a ticker: 1 to 12 characters without spaces, letters, digits and
/// `. - _ / :`, at least one letter.
fn symbol_like(cell: &str) -> bool {
    let c = cell.trim();
    (1..=12).contains(&c.chars().count())
        && c.chars().any(|ch| ch.is_alphabetic())
        && c.chars()
            .all(|ch| ch.is_alphanumeric() || matches!(ch, '.' | '-' | '_' | '/' | ':'))
}

fn number_like(cell: &str) -> bool {
    matches!(parse_number(cell, DecimalStyle::Auto), Ok(Some(v)) if v.is_finite())
}

/// Columns where at least half of the non-empty sample cells pass `test`.
fn columns_where(req: &MappingRequest, test: impl Fn(&str) -> bool) -> Vec<usize> {
    (0..req.headers.len())
        .filter(|&col| {
            let cells: Vec<&str> = req
                .samples
                .iter()
                .filter_map(|r| r.get(col).map(|c| c.trim()))
                .filter(|c| !c.is_empty())
                .collect();
            !cells.is_empty() && cells.iter().filter(|c| test(c)).count() * 2 >= cells.len()
        })
        .collect()
}

/// The shape of an unrecognised table. A column the header names as symbol or quantity
/// counts whatever its cells hold.
pub fn table_shape(req: &MappingRequest) -> TableShape {
    if req
        .samples
        .iter()
        .all(|r| r.iter().all(|c| c.trim().is_empty()))
    {
        return TableShape::NoRows;
    }
    let numbers = columns_where(req, number_like);
    let mut symbols = columns_where(req, |c| symbol_like(c) && !number_like(c));
    symbols.extend(req.guess.symbol);
    let quantities = numbers
        .iter()
        .copied()
        .chain(req.guess.quantity)
        .any(|q| symbols.iter().any(|&s| s != q));
    if !symbols.is_empty() && quantities {
        TableShape::Portfolio
    } else {
        TableShape::NotPortfolio {
            symbols: !symbols.is_empty(),
            quantities: !numbers.is_empty() || req.guess.quantity.is_some(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::import::{ColumnMapping, Columns};

    fn request(headers: &[&str], rows: &[&[&str]]) -> MappingRequest {
        MappingRequest {
            file_name: "t.csv".into(),
            headers: headers.iter().map(|h| h.to_string()).collect(),
            samples: rows
                .iter()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect(),
            guess: ColumnMapping::guess(&Columns::new(headers.iter().copied()), ""),
        }
    }

    #[test]
    fn tickers_and_numbers_under_unknown_headers_are_worth_mapping() {
        // tests/fixtures/generic_unsure.csv
        let r = request(
            &["Col A", "Col B", "Col C"],
            &[&["BTC", "0.5", "Ledger"], &["ETH", "3", "Ledger"]],
        );
        assert_eq!(table_shape(&r), TableShape::Portfolio);
    }

    #[test]
    fn an_address_list_or_a_statement_is_not_a_portfolio() {
        let people = request(
            &["Name", "Email", "City"],
            &[
                &["Alice Martin", "alice@example.org", "Paris"],
                &["Bob Li", "bob@example.org", "Lyon"],
            ],
        );
        assert_eq!(
            table_shape(&people),
            TableShape::NotPortfolio {
                symbols: true,
                quantities: false
            }
        );
        let statement = request(
            &["Date", "Description", "Amount"],
            &[
                &["2024-01-02", "Coffee shop", "-3,50"],
                &["2024-01-03", "Salary March", "2 400,00"],
            ],
        );
        assert_eq!(
            table_shape(&statement),
            TableShape::NotPortfolio {
                symbols: false,
                quantities: true
            }
        );
    }

    #[test]
    fn a_header_without_rows_says_so() {
        assert_eq!(
            table_shape(&request(&["Coin", "Amount"], &[])),
            TableShape::NoRows
        );
        assert_eq!(
            table_shape(&request(&["Coin", "Amount"], &[&["", " "]])),
            TableShape::NoRows
        );
    }
}
