//! Import: choose or drop files, parse them in the import worker with progress, preview
//! each with its report (and a column mapping when needed), then commit them all in one
//! transaction.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser::files::yield_now;
use crate::browser::worker::{import_file, ImportBytes, Imported};
use crate::domain::holding::{AssetClass, SourceKind};
use crate::domain::import::shape::{table_shape, TableShape};
use crate::domain::import::{
    ColumnMapping, ImportOptions, ImportOutcome, MappingRequest, Progress,
};
use crate::domain::jobs::import::ImportJob;
use crate::domain::number::DecimalStyle;
use crate::domain::portfolio::{format_amount, format_quantity, CurrencyTotals};
use crate::domain::records::ConfirmedImport;
use crate::ui::components::active_profile::ActiveProfile;
use crate::ui::error::show_errors;
use crate::ui::shell::StartOwnPortfolio;
use crate::ui::state::AppState;
use crate::ui::use_cases::commit_imports_case;

#[derive(Clone)]
enum Stage {
    Parsing {
        done: u64,
        total: u64,
        rows: u64,
    },
    Ready {
        outcome: Box<ImportOutcome>,
        source: SourceKind,
    },
    Mapping {
        request: Box<MappingRequest>,
        draft: Box<ColumnMapping>,
    },
    /// An unrecognised table that does not look like a portfolio: said so, with the mapping
    /// still on offer.
    NotPortfolio {
        request: Box<MappingRequest>,
        shape: TableShape,
    },
    Failed(String),
}

#[derive(Clone)]
struct Item {
    key: usize,
    file_name: String,
    stage: Stage,
}

/// The import page.
#[component]
pub fn ImportPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let items = RwSignal::new(Vec::<Item>::new());
    let next_key = StoredValue::new(0usize);
    let dragging = RwSignal::new(false);
    let commit_imports = commit_imports_case();

    let set_stage = move |key: usize, stage: Stage| {
        items.update(|list| {
            if let Some(i) = list.iter_mut().find(|i| i.key == key) {
                i.stage = stage;
            }
        })
    };

    // The chosen files, by item: the worker reads them (again after a mapping).
    let chosen = StoredValue::new_local(HashMap::<usize, web_sys::File>::new());

    let parse = move |key: usize, mapping: Option<ColumnMapping>| async move {
        let asked_mapping = mapping.is_some();
        let Some(file) = chosen.with_value(|f| f.get(&key).cloned()) else {
            return;
        };
        let job = ImportJob {
            file_name: file.name(),
            options: ImportOptions {
                saved_mappings: state.settings.with_untracked(|s| s.mappings.clone()),
                mapping,
                ..ImportOptions::default()
            },
        };
        let progress = move |p: Progress| {
            set_stage(
                key,
                Stage::Parsing {
                    done: p.done,
                    total: p.total,
                    rows: p.rows,
                },
            )
        };
        // From the start (after a mapping, too): the file is being read.
        progress(Progress {
            done: 0,
            total: file.size() as u64,
            rows: 0,
            finished: false,
        });
        let stage = match import_file(&job, ImportBytes::Blob(&file), progress).await {
            Err(e) => Stage::Failed(e),
            Ok(Imported::NeedsMapping(request)) if !asked_mapping => {
                let shape = table_shape(&request);
                if shape == TableShape::Portfolio {
                    let draft = Box::new(request.guess.clone());
                    return set_stage(key, Stage::Mapping { request, draft });
                }
                return set_stage(key, Stage::NotPortfolio { request, shape });
            }
            Ok(Imported::NeedsMapping(request)) => {
                let draft = Box::new(request.guess.clone());
                return set_stage(key, Stage::Mapping { request, draft });
            }
            Ok(Imported::Done(outcome, _)) => Stage::Ready {
                source: outcome.suggested_source,
                outcome,
            },
        };
        chosen.update_value(|f| {
            f.remove(&key);
        });
        set_stage(key, stage);
    };

    let add_files = move |files: web_sys::FileList| {
        let files: Vec<web_sys::File> = (0..files.length()).filter_map(|i| files.get(i)).collect();
        state.notice.set(None);
        spawn_local(async move {
            for file in files {
                let key = next_key.get_value();
                next_key.set_value(key + 1);
                let name = file.name();
                items.update(|l| {
                    l.push(Item {
                        key,
                        file_name: name.clone(),
                        stage: Stage::Parsing {
                            done: 0,
                            total: file.size() as u64,
                            rows: 0,
                        },
                    })
                });
                chosen.update_value(|f| {
                    f.insert(key, file);
                });
                yield_now().await;
                parse(key, None).await;
            }
        });
    };

    let on_pick = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(files) = input.files() {
            add_files(files);
        }
        input.set_value("");
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(files) = ev.data_transfer().and_then(|d| d.files()) {
            add_files(files);
        }
    };

    let ready_count = move || {
        items.with(|l| l.iter().filter(|i| matches!(&i.stage, Stage::Ready { outcome, .. } if !outcome.holdings.is_empty())).count())
    };
    let busy = move || items.with(|l| l.iter().any(|i| matches!(i.stage, Stage::Parsing { .. })));

    let commit = move |_| {
        let confirmed: Vec<ConfirmedImport> = items.with_untracked(|l| {
            l.iter()
                .filter_map(|i| match &i.stage {
                    Stage::Ready { outcome, source } if !outcome.holdings.is_empty() => {
                        Some(ConfirmedImport {
                            outcome: (**outcome).clone(),
                            source: *source,
                        })
                    }
                    _ => None,
                })
                .collect()
        });
        commit_imports.dispatch_local(confirmed);
    };
    // Once stored, the previews are done with.
    Effect::watch(
        move || commit_imports.version().get(),
        move |_, _, _| {
            if let Some(Ok(_)) = commit_imports.value().get_untracked() {
                items.set(Vec::new());
            }
        },
        false,
    );

    // On the demo, a profile of one's own is offered first; importing into the demo stays
    // possible once asked for.
    let into_demo = RwSignal::new(false);
    let show_dropzone = move || !state.on_demo() || into_demo.get();
    view! {
        <section aria-labelledby="import-title">
            <div class="page-head">
                <div>
                    <h1 id="import-title">"Import"</h1>
                    <ActiveProfile/>
                </div>
            </div>
            {move || (state.on_demo() && !into_demo.get()).then(|| view! {
                <div class="card" id="demo-import-offer">
                    <h2>"Import into a portfolio of your own"</h2>
                    <p>"You are on the demo profile. A file imported here would be mixed with the demo's invented holdings and cash, and the totals would add up both."</p>
                    <div class="actions">
                        <StartOwnPortfolio/>
                        <button type="button" id="import-into-demo" on:click=move |_| into_demo.set(true)>"Import into the demo anyway"</button>
                    </div>
                </div>
            })}
            {move || show_dropzone().then(|| view! {
                <div class="dropzone" class:dragging=move || dragging.get()
                    on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
                    on:dragleave=move |_| dragging.set(false)
                    on:drop=on_drop>
                    <p><label for="file-input">"Drop files here, or choose them"</label></p>
                    <input id="file-input" type="file" multiple accept=".csv,.txt,.tsv,.xlsx" on:change=on_pick/>
                    <p class="muted">
                        "CoinTracking (Current Balance, Balance by Exchange, Coins by Exchange, Trade List), Saxo Bank Positions (CSV or XLSX), or any table with a symbol and a quantity column. Files are read in this browser and never uploaded."
                    </p>
                </div>
            })}
            <ErrorBoundary fallback=show_errors>
                {move || commit_imports.value().get().map(|r| r.map(|n| view! {
                    <p class="notice info" role="status" id="import-done">{format!("Imported {n} file(s). See them under Holdings; earlier versions stay under Sources.")}</p>
                }))}
            </ErrorBoundary>
            <div id="import-items">
                {move || items.get().into_iter().map(|item| view! { <ItemView item=item items=items parse=parse/> }).collect_view()}
            </div>
            {move || (!items.with(Vec::is_empty)).then(|| view! {
                <div class="actions">
                    <button type="button" id="commit-import" class="primary"
                        disabled=move || ready_count() == 0 || busy() || commit_imports.pending().get()
                        on:click=commit>
                        {move || format!("Import {} file(s)", ready_count())}
                    </button>
                    <button type="button" id="cancel-import" on:click=move |_| items.set(Vec::new())>"Cancel"</button>
                </div>
            })}
        </section>
    }
}

#[component]
fn ItemView<F, Fut>(item: Item, items: RwSignal<Vec<Item>>, parse: F) -> impl IntoView
where
    F: Fn(usize, Option<ColumnMapping>) -> Fut + Copy + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + 'static,
{
    let key = item.key;
    let remove = move |_| items.update(|l| l.retain(|i| i.key != key));
    let body = match item.stage {
        Stage::Parsing { done, total, rows } => view! {
            <p role="status">{format!("Reading… {rows} rows")}</p>
            <progress class="import-progress" max=total.max(1).to_string() value=done.to_string()>{format!("{done} of {total}")}</progress>
        }.into_any(),
        Stage::Failed(message) => view! { <p class="error import-error" role="alert">{message}" Your data is unchanged."</p> }.into_any(),
        Stage::Mapping { request, draft } => view! { <MappingForm key=key request=*request draft=*draft parse=parse/> }.into_any(),
        Stage::NotPortfolio { request, shape } => {
            let name = item.file_name.clone();
            let message = match shape {
                TableShape::NoRows => format!("“{name}” has a header and no rows: there is nothing to import. Your data is unchanged."),
                TableShape::NotPortfolio { symbols, quantities } => format!(
                    "“{name}” does not look like a portfolio: {}. Folio reads CoinTracking and Saxo Bank exports, or a table with a column of symbols (BTC, AAPL) and a column of quantities. Your data is unchanged.",
                    match (symbols, quantities) {
                        (false, false) => "no column holds symbols and none holds quantities",
                        (false, true) => "no column holds symbols such as BTC or AAPL",
                        _ => "no column holds quantities (numbers)",
                    }
                ),
                TableShape::Portfolio => String::new(),
            };
            let can_map = shape != TableShape::NoRows;
            let request = *request;
            let map_anyway = move |_| {
                let draft = Box::new(request.guess.clone());
                let request = Box::new(request.clone());
                items.update(|l| {
                    if let Some(i) = l.iter_mut().find(|i| i.key == key) {
                        i.stage = Stage::Mapping { request, draft };
                    }
                });
            };
            view! {
                <p class="error import-error" role="alert">{message}</p>
                {can_map.then(|| view! { <button type="button" class="map-anyway" on:click=map_anyway>"Choose the columns anyway"</button> })}
            }.into_any()
        }
        Stage::Ready { outcome, source } => view! { <Preview key=key outcome=*outcome source=source items=items/> }.into_any(),
    };
    view! {
        <article class="import-item" data-file=item.file_name.clone()>
            <header>
                <h2>{item.file_name.clone()}</h2>
                <button type="button" aria-label=format!("Remove {}", item.file_name) on:click=remove>"Remove"</button>
            </header>
            {body}
        </article>
    }
}

#[component]
fn Preview(
    key: usize,
    outcome: ImportOutcome,
    source: SourceKind,
    items: RwSignal<Vec<Item>>,
) -> impl IntoView {
    let r = outcome.report.clone();
    let set_source = move |ev: leptos::ev::Event| {
        let chosen = SourceKind::from_key(&event_target_value(&ev)).unwrap_or(source);
        items.update(|l| {
            if let Some(Item {
                stage: Stage::Ready { source, .. },
                ..
            }) = l.iter_mut().find(|i| i.key == key)
            {
                *source = chosen;
            }
        });
    };
    let totals = CurrencyTotals::of(&outcome.holdings);
    let empty = outcome.holdings.is_empty();
    let shown: Vec<_> = outcome.holdings.iter().take(50).cloned().collect();
    let more = outcome.holdings.len().saturating_sub(shown.len());
    view! {
        <div class="preview">
            <p class="report-summary">
                <strong>{r.format.clone()}</strong>
                {format!(" · {} · delimiter {} · header on line {}", r.encoding, r.delimiter.map_or("—".to_string(), |d| if d == '\t' { "tab".into() } else { format!("“{d}”") }), r.header_line)}
                <br/>
                <span class="counts">{format!("{} rows read, {} imported, {} skipped → {} holdings. Total: {}", r.rows_read, r.imported, r.skipped, r.holdings, totals.describe())}</span>
            </p>
            {empty.then(|| view! { <p class="error import-error" role="alert">{if r.rows_read == 0 {
                format!("“{}” has a header and no rows: there is nothing to import. Your data is unchanged.", r.file_name)
            } else if r.skip_groups.is_empty() {
                format!("Nothing to import from “{}”: none of its rows holds a holding. Your data is unchanged.", r.file_name)
            } else {
                format!("Nothing to import from “{}”: none of its rows could be read (see why below). Your data is unchanged.", r.file_name)
            }}</p> })}
            {(!r.skip_groups.is_empty()).then(|| view! {
                <details class="skipped" open=empty>
                    <summary>{format!("{} row(s) skipped", r.skipped)}</summary>
                    <ul>
                        {r.skip_groups.iter().map(|g| {
                            let lines: Vec<String> = g.lines.iter().map(u64::to_string).collect();
                            let extra = g.count.saturating_sub(g.lines.len() as u64);
                            view! {
                                <li>
                                    <strong>{format!("{} × {}", g.count, g.reason.describe())}</strong>
                                    {format!(" — line(s) {}{}", lines.join(", "), if extra > 0 { format!(" and {extra} more") } else { String::new() })}
                                    {(!g.examples.is_empty()).then(|| format!(" — e.g. “{}”", g.examples.join("”, “")))}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </details>
            })}
            {r.notes.iter().map(|n| view! { <p class="muted note">{n.clone()}</p> }).collect_view()}
            {(!empty).then(|| view! {
                <label>
                    "Add to source "
                    <select class="source-select" on:change=set_source>
                        {SourceKind::ALL.into_iter().filter(|k| *k != SourceKind::Manual).map(|k| view! {
                            <option value=k.key() selected=k == source>{k.label()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <div class="table-wrap"><table class="preview-table">
                    <caption>"Preview"</caption>
                    <thead><tr><th scope="col">"Symbol"</th><th scope="col" class="num">"Quantity"</th><th scope="col" class="num">"Value"</th><th scope="col">"Currency"</th><th scope="col">"Location"</th></tr></thead>
                    <tbody>
                        {shown.into_iter().map(|h| view! {
                            <tr>
                                <td>{h.symbol}</td>
                                <td class="num">{format_quantity(h.quantity)}</td>
                                <td class="num">{h.value.map_or_else(|| "—".to_string(), |v| format_amount(v, 2))}</td>
                                <td>{h.currency.to_string()}</td>
                                <td>{h.location}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table></div>
                {(more > 0).then(|| view! { <p class="muted">{format!("… and {more} more")}</p> })}
            })}
        </div>
    }
}

const FIELDS: [(&str, bool); 8] = [
    ("Symbol", true),
    ("Quantity", true),
    ("Value", false),
    ("Price", false),
    ("Currency", false),
    ("Location", false),
    ("Name", false),
    ("Asset class", false),
];

fn field(m: &mut ColumnMapping, i: usize) -> &mut Option<usize> {
    match i {
        0 => &mut m.symbol,
        1 => &mut m.quantity,
        2 => &mut m.value,
        3 => &mut m.price,
        4 => &mut m.currency,
        5 => &mut m.location,
        6 => &mut m.name,
        _ => &mut m.asset_class,
    }
}

#[component]
fn MappingForm<F, Fut>(
    key: usize,
    request: MappingRequest,
    draft: ColumnMapping,
    parse: F,
) -> impl IntoView
where
    F: Fn(usize, Option<ColumnMapping>) -> Fut + Copy + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + 'static,
{
    let draft = RwSignal::new(draft);
    let headers = request.headers.clone();
    let apply = move |_| {
        spawn_local(parse(key, Some(draft.get_untracked())));
    };
    view! {
        <div class="mapping">
            <p>"Folio is not sure which column holds what in this file. Choose the columns (symbol and quantity are required); the mapping is saved for files with the same header."</p>
            <div class="mapping-fields">
                {FIELDS.into_iter().enumerate().map(|(i, (label, required))| {
                    let headers = headers.clone();
                    let id = format!("map-{key}-{}", label.to_lowercase().replace(' ', "-"));
                    view! {
                        <label for=id.clone()>{label}{required.then_some(" *")}</label>
                        <select id=id
                            on:change=move |ev| {
                                let v = event_target_value(&ev).parse::<usize>().ok();
                                draft.update(|m| *field(m, i) = v);
                            }>
                            <option value="" selected=move || draft.with(|m| field(&mut m.clone(), i).is_none())>"—"</option>
                            {headers.iter().enumerate().map(|(c, h)| view! {
                                <option value=c.to_string() selected=move || draft.with(|m| *field(&mut m.clone(), i) == Some(c))>{format!("{} ({})", h, c + 1)}</option>
                            }).collect_view()}
                        </select>
                    }
                }).collect_view()}
                <label for=format!("map-{key}-default-currency")>"Currency if none"</label>
                <input id=format!("map-{key}-default-currency") type="text" size="4" prop:value=move || draft.with(|m| m.default_currency.clone())
                    on:change=move |ev| draft.update(|m| m.default_currency = event_target_value(&ev))/>
                <label for=format!("map-{key}-default-location")>"Location if none"</label>
                <input id=format!("map-{key}-default-location") type="text" prop:value=move || draft.with(|m| m.default_location.clone())
                    on:change=move |ev| draft.update(|m| m.default_location = event_target_value(&ev))/>
                <label for=format!("map-{key}-class")>"Asset class if none"</label>
                <select id=format!("map-{key}-class") on:change=move |ev| {
                    let v = event_target_value(&ev);
                    draft.update(|m| m.default_asset_class = AssetClass::parse(&v).unwrap_or(AssetClass::Crypto));
                }>
                    {AssetClass::ALL.into_iter().map(|c| view! { <option value=c.label() selected=move || draft.with(|m| m.default_asset_class == c)>{c.label()}</option> }).collect_view()}
                </select>
                <label for=format!("map-{key}-decimals")>"Numbers look like"</label>
                <select id=format!("map-{key}-decimals") on:change=move |ev| {
                    let style = match event_target_value(&ev).as_str() { "dot" => DecimalStyle::DotDecimal, "comma" => DecimalStyle::CommaDecimal, _ => DecimalStyle::Auto };
                    draft.update(|m| m.decimal_style = style);
                }>
                    <option value="auto">"Detect per cell"</option>
                    <option value="dot">"1,234.56"</option>
                    <option value="comma">"1.234,56"</option>
                </select>
            </div>
            <div class="table-wrap"><table class="samples">
                <caption>"First rows of the file"</caption>
                <thead><tr>{request.headers.iter().map(|h| view! { <th scope="col">{h.clone()}</th> }).collect_view()}</tr></thead>
                <tbody>{request.samples.iter().map(|r| view! { <tr>{r.iter().map(|c| view! { <td>{c.clone()}</td> }).collect_view()}</tr> }).collect_view()}</tbody>
            </table></div>
            <button type="button" class="primary apply-mapping" on:click=apply
                disabled=move || draft.with(|m| !m.is_complete())>"Use this mapping"</button>
        </div>
    }
}
