//! The downloader and `load_from` against a real HTTP server on 127.0.0.1.
//!
//! The server is a few lines over `std::net::TcpListener`: it answers each
//! request from a table of canned responses, and can misbehave on purpose
//! (404, a body cut off before its announced length, the wrong file). It
//! serves at most `MAX_CONNECTIONS` requests and stops after `LIFETIME` or
//! when its test ends, whichever comes first, so no test can hang.

use std::collections::HashMap;
use std::fs;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use flate2::{Compression, write::GzEncoder};
use scratchnet::data::download::{download, download_missing};
use scratchnet::data::mnist::FILES;
use scratchnet::data::source::{Problem, RemoteFile};
use scratchnet::data::{DataError, Idx, Source, load_from, read_idx};

const MAX_CONNECTIONS: usize = 32;
const LIFETIME: Duration = Duration::from_secs(20);

/// A canned answer.
#[derive(Clone)]
enum Reply {
    /// 200 with this body.
    Body(Vec<u8>),
    /// 200 announcing `claimed` bytes, then only the first part of the body, then closing.
    CutOff { body: Vec<u8>, claimed: usize },
}

/// A server on 127.0.0.1 answering `routes` (path → reply), 404 for anything else.
struct Server {
    port: u16,
    stop: Arc<AtomicBool>,
}

impl Server {
    fn start(routes: HashMap<String, Reply>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        thread::spawn(move || {
            let deadline = Instant::now() + LIFETIME;
            let mut served = 0;
            while served < MAX_CONNECTIONS && Instant::now() < deadline {
                if stopped.load(Ordering::Relaxed) {
                    break;
                }
                match listener.accept() {
                    Ok((stream, _)) => {
                        served += 1;
                        let _ = answer(stream, &routes);
                    }
                    Err(_) => thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Server { port, stop }
    }

    fn url(&self, prefix: &str) -> String {
        format!("http://127.0.0.1:{}/{prefix}", self.port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Reads one request's head (bounded), writes the reply, closes.
fn answer(mut stream: TcpStream, routes: &HashMap<String, Reply>) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    stream.set_write_timeout(Some(Duration::from_secs(5)))?;
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let head = String::from_utf8_lossy(&head);
    let path = head.split_whitespace().nth(1).unwrap_or("/");
    let (status, body, claimed) = match routes.get(path) {
        Some(Reply::Body(body)) => ("200 OK", &body[..], body.len()),
        Some(Reply::CutOff { body, claimed }) => ("200 OK", &body[..], *claimed),
        None => ("404 Not Found", &b"not found"[..], 9),
    };
    let header = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {claimed}\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(header.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()
}

/// A port on which nothing listens (bound, then released).
fn closed_port_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}/")
}

fn scratch_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("scratchnet-dl-{test}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    dir
}

/// The names of the entries of `dir` (none if it does not exist), sorted.
fn entries(dir: &Path) -> Vec<String> {
    let Ok(read) = fs::read_dir(dir) else {
        return vec![];
    };
    let mut names: Vec<String> = read
        .map(|e| e.unwrap().file_name().to_string_lossy().into())
        .collect();
    names.sort();
    names
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::best());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

/// A tiny dataset in MNIST's format: 3 training and 2 test images, 28×28.
fn tiny_dataset() -> Vec<(&'static str, Idx)> {
    let images = |n: usize, seed: usize| Idx {
        dims: vec![n, 28, 28],
        data: (0..n * 784)
            .map(|i| ((i * 31 + seed) % 256) as u8)
            .collect(),
    };
    vec![
        (FILES[0], images(3, 1)),
        (
            FILES[1],
            Idx {
                dims: vec![3],
                data: vec![5, 0, 4],
            },
        ),
        (FILES[2], images(2, 2)),
        (
            FILES[3],
            Idx {
                dims: vec![2],
                data: vec![7, 2],
            },
        ),
    ]
}

/// A source for the tiny dataset with the given mirrors.
fn tiny_source(mirrors: Vec<String>) -> Source {
    Source {
        name: "Tiny".into(),
        dir_name: "tiny".into(),
        homepage: "https://example.org/tiny".into(),
        mirrors,
        files: (tiny_dataset().into_iter())
            .map(|(name, idx)| RemoteFile {
                name: name.into(),
                sha256: idx.sha256(),
            })
            .collect(),
    }
}

/// Routes serving the tiny dataset gzip-compressed under `/prefix/`.
fn tiny_routes(prefix: &str) -> HashMap<String, Reply> {
    (tiny_dataset().into_iter())
        .map(|(name, idx)| {
            (
                format!("/{prefix}{name}"),
                Reply::Body(gzip(&idx.to_bytes())),
            )
        })
        .collect()
}

#[test]
fn downloads_verified_files_and_leaves_nothing_else() {
    let server = Server::start(tiny_routes("data/"));
    let dir = scratch_dir("success");
    let source = tiny_source(vec![server.url("data/")]);
    let written = download_missing(&source, &dir).unwrap();
    assert_eq!(written.len(), 4);
    let mut expected: Vec<String> = FILES.iter().map(|f| f.to_string()).collect();
    expected.sort();
    assert_eq!(entries(&dir), expected); // no temporary file left
    for (name, idx) in tiny_dataset() {
        assert_eq!(read_idx(&dir.join(name)).unwrap(), idx);
    }
    // Nothing missing any more: nothing downloaded.
    assert!(download_missing(&source, &dir).unwrap().is_empty());
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_checksum_mismatch_is_rejected_and_nothing_is_left_on_disk() {
    let server = Server::start(tiny_routes(""));
    let dir = scratch_dir("checksum");
    let mut source = tiny_source(vec![server.url("")]);
    source.files[1].sha256 = source.files[3].sha256.clone(); // expect the test labels
    let err = download(&source, &source.files[1], &dir).unwrap_err();
    let DataError::Download(failure) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(failure.attempts.len(), 1);
    assert!(
        matches!(failure.attempts[0].problem, Problem::Checksum { .. }),
        "{err}"
    );
    assert!(
        err.to_string().contains("wrong content: its SHA-256 is"),
        "{err}"
    );
    assert_eq!(entries(&dir), Vec::<String>::new());
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_failing_mirror_falls_through_to_the_next() {
    let server = Server::start(tiny_routes("good/"));
    let dir = scratch_dir("fallthrough");
    // A closed port, then a 404 (nothing under /missing/), then the right one.
    let mirrors = vec![
        closed_port_url(),
        server.url("missing/"),
        server.url("good/"),
    ];
    let source = tiny_source(mirrors.clone());
    let path = download(&source, &source.files[3], &dir).unwrap();
    assert_eq!(read_idx(&path).unwrap().data, [7, 2]);
    assert_eq!(entries(&dir), [FILES[3]]);

    // Without the good mirror: the error says what each mirror answered.
    let source = tiny_source(mirrors[..2].to_vec());
    let err = download(&source, &source.files[0], &dir).unwrap_err();
    let DataError::Download(failure) = &err else {
        panic!("{err:?}")
    };
    assert!(
        matches!(failure.attempts[0].problem, Problem::Connect(_)),
        "{err}"
    );
    assert!(
        matches!(failure.attempts[1].problem, Problem::Status(404)),
        "{err}"
    );
    let message = err.to_string();
    assert!(
        message.contains(&format!("{}{}: no answer", mirrors[0], FILES[0])),
        "{message}"
    );
    assert!(
        message.contains(&format!(
            "{}{}: the server answered HTTP 404",
            mirrors[1], FILES[0]
        )),
        "{message}"
    );
    assert_eq!(entries(&dir), [FILES[3]]);
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_transfer_cut_off_mid_body_leaves_nothing_behind() {
    let body = gzip(&tiny_dataset()[0].1.to_bytes());
    let half = body[..body.len() / 2].to_vec();
    let routes = HashMap::from([(
        format!("/{}", FILES[0]),
        Reply::CutOff {
            claimed: body.len(),
            body: half,
        },
    )]);
    let server = Server::start(routes);
    let dir = scratch_dir("cut-off");
    let source = tiny_source(vec![server.url("")]);
    let err = download(&source, &source.files[0], &dir).unwrap_err();
    let DataError::Download(failure) = &err else {
        panic!("{err:?}")
    };
    assert!(
        matches!(failure.attempts[0].problem, Problem::Transfer(_)),
        "{err}"
    );
    assert_eq!(entries(&dir), Vec::<String>::new());
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_mirror_may_recompress_but_not_serve_something_else() {
    let (name, idx) = tiny_dataset().swap_remove(1);
    let routes = HashMap::from([
        // Uncompressed under a .gz name: the content is right, so it is accepted.
        (format!("/plain/{name}"), Reply::Body(idx.to_bytes())),
        // An error page with status 200.
        (
            format!("/html/{name}"),
            Reply::Body(b"<html>moved</html>".to_vec()),
        ),
    ]);
    let server = Server::start(routes);
    let dir = scratch_dir("recompressed");
    let source = tiny_source(vec![server.url("html/"), server.url("plain/")]);
    let path = download(&source, &source.files[1], &dir).unwrap();
    assert_eq!(read_idx(&path).unwrap(), idx);

    let source = tiny_source(vec![server.url("html/")]);
    fs::remove_file(&path).unwrap();
    let err = download(&source, &source.files[1], &dir).unwrap_err();
    let DataError::Download(failure) = &err else {
        panic!("{err:?}")
    };
    let Problem::Invalid(why) = &failure.attempts[0].problem else {
        panic!("{err}")
    };
    assert!(matches!(**why, DataError::BadMagic { .. }), "{err}");
    assert_eq!(entries(&dir), Vec::<String>::new());
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn load_from_downloads_once_then_reads_from_the_cache() {
    let server = Server::start(tiny_routes(""));
    let (empty, cache) = (scratch_dir("load-empty"), scratch_dir("load-cache"));
    let source = tiny_source(vec![server.url("")]);
    let search = [empty.clone(), cache.clone()];
    let (train, test) = load_from(&source, &search, Some(&cache)).unwrap();
    assert_eq!((train.len(), test.len()), (3, 2));
    assert_eq!(
        (train.labels(), test.labels_usize()),
        (&[5, 0, 4][..], vec![7, 2])
    );
    assert_eq!(train.images_f::<f32>().shape(), &[3, 784]);

    // Offline now (a closed port): the cache is enough.
    let offline = tiny_source(vec![closed_port_url()]);
    let (train2, test2) = load_from(&offline, &search, Some(&cache)).unwrap();
    assert_eq!((train2, test2), (train, test));
    fs::remove_dir_all(&cache).unwrap();
}

#[test]
fn offline_the_error_says_which_files_to_put_where() {
    let (a, cache) = (scratch_dir("offline-a"), scratch_dir("offline-cache"));
    let mirrors = vec![closed_port_url(), closed_port_url()];
    let source = tiny_source(mirrors.clone());
    let err = load_from(&source, &[a.clone(), cache.clone()], Some(&cache)).unwrap_err();
    assert!(matches!(err, DataError::Unavailable { .. }), "{err:?}");
    let message = err.to_string();
    for needle in FILES.iter().map(|f| f.to_string()).chain([
        a.display().to_string(),
        cache.display().to_string(),
        "https://example.org/tiny".into(),
        format!("{}{}: no answer", mirrors[0], FILES[0]),
        format!("{}{}: no answer", mirrors[1], FILES[0]),
        "SCRATCHNET_DATA=DIR to search DIR/tiny".into(),
    ]) {
        assert!(
            message.contains(&needle),
            "missing {needle:?} in:\n{message}"
        );
    }
    assert!(entries(&cache).is_empty());
    // With nowhere to download to, the error still says where to put the files.
    let err = load_from(&source, std::slice::from_ref(&a), None).unwrap_err();
    assert!(err.to_string().contains(&a.display().to_string()), "{err}");
    let _ = fs::remove_dir_all(&cache);
}

#[test]
fn files_of_another_dataset_are_refused() {
    let dir = scratch_dir("other-dataset");
    fs::create_dir_all(&dir).unwrap();
    let mut other = tiny_dataset();
    other[1].1.data = vec![1, 1, 1]; // other training labels
    for (name, idx) in &other {
        fs::write(dir.join(name), gzip(&idx.to_bytes())).unwrap();
    }
    let source = tiny_source(vec![closed_port_url()]);
    let err = load_from(&source, std::slice::from_ref(&dir), None).unwrap_err();
    assert!(matches!(err, DataError::Checksum { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with(&dir.join(FILES[1]).display().to_string()),
        "{err}"
    );
    fs::remove_dir_all(&dir).unwrap();
}
