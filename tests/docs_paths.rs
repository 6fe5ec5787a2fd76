//! The documentation stays true to the tree: every `crates/…`, `tests/…`, `scripts/…` and
//! `docs/…` path that README.md or a file under docs/ names exists, every link between the
//! documents reaches a file (and, with a `#fragment`, a heading of it), and every numbered
//! section a source comment cites (`docs/ui.md §3.5`) is a heading of that document.
//! No database, no server: files only.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The folders whose paths the documents must get right.
const ROOTS: [&str; 4] = ["crates/", "tests/", "scripts/", "docs/"];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Files under `dir` (recursively) whose name ends in one of `endings`.
fn files_under(dir: &Path, endings: &[&str], found: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            // Vendored files and build output are not ours to check.
            if name != "vendor" && name != "target" && !name.starts_with('.') {
                files_under(&path, endings, found);
            }
        } else if endings.iter().any(|e| name.ends_with(e)) {
            found.push(path);
        }
    }
}

/// README.md and every Markdown file under docs/, as paths relative to the repository.
fn documents() -> Vec<String> {
    let root = repo();
    let mut found = Vec::new();
    files_under(&root.join("docs"), &[".md"], &mut found);
    let mut docs: Vec<String> = found
        .iter()
        .filter_map(|p| p.strip_prefix(&root).ok())
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    docs.push("README.md".to_string());
    docs.sort();
    docs
}

fn path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | '<' | '>' | '*')
}

/// The paths under [`ROOTS`] that a text names: `crates/web/src/gate.rs`,
/// `crates/web/locales/<code>/main.ftl`, `crates/web/locales/{nl,en}/*.ftl`. A path starts
/// where no path character precedes it, so `../docs/x.md` and URLs are not taken for one.
fn named_paths(text: &str) -> Vec<String> {
    let mut paths = Vec::new();
    for (i, _) in text.char_indices() {
        let rest = &text[i..];
        if !ROOTS.iter().any(|r| rest.starts_with(r)) {
            continue;
        }
        if text[..i].chars().next_back().is_some_and(path_char) {
            continue;
        }
        let mut path = String::new();
        let mut chars = rest.chars();
        while let Some(c) = chars.next() {
            if c == '{' {
                // `{nl,en}`: a set of alternatives, kept whole.
                path.push(c);
                for c in chars.by_ref() {
                    path.push(c);
                    if c == '}' {
                        break;
                    }
                }
            } else if path_char(c) {
                path.push(c);
            } else {
                break;
            }
        }
        // A sentence's full stop is not part of the path.
        while path.ends_with('.') {
            path.pop();
        }
        paths.push(path);
    }
    paths
}

/// Whether a named path exists. A path with a placeholder (`<code>`, `{nl,en}`, `*`) needs
/// the folder before the placeholder; each alternative of a `{…}` set is checked too.
fn exists(root: &Path, path: &str) -> bool {
    if let (Some(open), Some(close)) = (path.find('{'), path.find('}'))
        && open < close
    {
        return path[open + 1..close].split(',').all(|alt| {
            exists(
                root,
                &format!("{}{alt}{}", &path[..open], &path[close + 1..]),
            )
        });
    }
    match path.find(['<', '*']) {
        Some(at) => {
            let folder = path[..at].rsplit_once('/').map_or("", |(dir, _)| dir);
            root.join(folder).is_dir()
        }
        None => root.join(path).exists(),
    }
}

/// The parts of a Markdown text outside fenced code blocks and inline code, line by line;
/// code keeps its paths (checked above) but has no links or headings.
fn prose_lines(text: &str) -> Vec<String> {
    let mut fenced = false;
    let mut lines = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        let mut prose = String::new();
        for (n, part) in line.split('`').enumerate() {
            if n % 2 == 0 {
                prose.push_str(part);
            }
        }
        lines.push(prose);
    }
    lines
}

/// GitHub's anchor for a heading: lower case, spaces to hyphens, other punctuation dropped;
/// a repeated heading gets `-1`, `-2`, ….
fn anchors(text: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        }
        if fenced || !line.starts_with('#') {
            continue;
        }
        let title = line.trim_start_matches('#').trim();
        let slug: String = title
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('-'),
                c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                _ => None,
            })
            .collect();
        let mut unique = slug.clone();
        let mut n = 0;
        while seen.contains(&unique) {
            n += 1;
            unique = format!("{slug}-{n}");
        }
        seen.insert(unique);
    }
    seen
}

/// The targets of the Markdown links `[text](target)` in a text.
fn link_targets(text: &str) -> Vec<String> {
    let mut targets = Vec::new();
    for line in prose_lines(text) {
        let mut rest = line.as_str();
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let end = after.find(')').unwrap_or(after.len());
            targets.push(after[..end].trim().to_string());
            rest = &after[end..];
        }
    }
    targets
}

/// The folder a document lives in, relative to the repository ("" for README.md).
fn folder_of(doc: &str) -> &str {
    doc.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// `a/b/../c` → `a/c`; `None` when it leaves the repository.
fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

#[test]
fn every_path_the_docs_name_exists() {
    let root = repo();
    let mut missing = Vec::new();
    for doc in documents() {
        let text = read(&root.join(&doc));
        for path in named_paths(&text) {
            if !exists(&root, &path) {
                missing.push(format!("{doc}: {path}"));
            }
        }
    }
    missing.dedup();
    assert!(
        missing.is_empty(),
        "paths named in the docs that do not exist:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_link_between_the_docs_resolves() {
    let root = repo();
    let mut broken = Vec::new();
    for doc in documents() {
        let text = read(&root.join(&doc));
        for target in link_targets(&text) {
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let (file, fragment) = target.split_once('#').unwrap_or((&target, ""));
            let file = if file.is_empty() {
                Some(doc.clone())
            } else {
                normalise(&format!("{}/{file}", folder_of(&doc)))
            };
            let Some(file) = file.filter(|f| root.join(f).exists()) else {
                broken.push(format!("{doc}: ({target}): no such file"));
                continue;
            };
            if !fragment.is_empty()
                && file.ends_with(".md")
                && !anchors(&read(&root.join(&file))).contains(fragment)
            {
                broken.push(format!("{doc}: ({target}): no such heading in {file}"));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "links in the docs that lead nowhere:\n{}",
        broken.join("\n")
    );
}

/// The numbers of a document's numbered headings: `## 3. Page patterns` gives "3",
/// `### 3.5 Check-in at the door` gives "3.5".
fn section_numbers(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter(|l| l.starts_with('#'))
        .filter_map(|l| l.trim_start_matches('#').split_whitespace().next())
        .map(|n| n.trim_end_matches('.').to_string())
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit() || c == '.'))
        .collect()
}

#[test]
fn every_docs_section_the_code_cites_is_there() {
    let root = repo();
    let mut sources = Vec::new();
    for dir in ["crates", "tests", "scripts", "docs"] {
        files_under(
            &root.join(dir),
            &[".rs", ".ftl", ".css", ".js", ".html", ".sh", ".md"],
            &mut sources,
        );
    }
    sources.push(root.join("README.md"));
    let mut missing = Vec::new();
    for source in sources {
        let text = read(&source);
        let mut rest = text.as_str();
        while let Some(at) = rest.find("docs/") {
            let cited = &rest[at..];
            rest = &rest[at + 5..];
            let Some((doc, after)) = cited.split_once(".md") else {
                continue;
            };
            if !doc
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "/_-".contains(c))
            {
                continue;
            }
            let Some(number) = after.strip_prefix(" §") else {
                continue;
            };
            let number: String = number
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            let number = number.trim_end_matches('.');
            let file = root.join(format!("{doc}.md"));
            let known = file.exists() && section_numbers(&read(&file)).contains(number);
            if !known {
                let shown = source.strip_prefix(&root).unwrap_or(&source).display();
                missing.push(format!("{shown}: {doc}.md §{number}"));
            }
        }
    }
    missing.dedup();
    assert!(
        missing.is_empty(),
        "sections cited that the docs do not have:\n{}",
        missing.join("\n")
    );
}
