fn main() {
    let name = std::env::args().nth(1).unwrap();
    let bytes = std::fs::read(&name).unwrap();
    for _ in 0..20 {
        let t = std::time::Instant::now();
        let o = folio::domain::import::import_bytes(&name, bytes.clone(), &Default::default())
            .unwrap()
            .unwrap();
        eprintln!("{} {:?}", o.holdings.len(), t.elapsed());
    }
}
