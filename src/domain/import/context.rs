//! What detection is given besides the header row.

use csv::StringRecord;

use super::options::ImportOptions;
use super::when::Zone;

/// What detection needs besides the header row.
pub(crate) struct Context<'a> {
    /// The file's name (a hint only: formats are recognised by their header).
    pub file_name: &'a str,
    /// The import's options.
    pub options: &'a ImportOptions,
    /// The rows above the header (XTB writes its account number there).
    pub preamble: &'a [StringRecord],
    /// The zone of local times written without one.
    pub zone: Zone,
    /// The rows come from a JSON export turned into a table.
    pub from_json: bool,
}
