//! How many elements usvg will build once every reference is followed. usvg copies what a
//! reference points at: a `<use>` clones its target, a pattern or gradient in
//! objectBoundingBox units is converted again for each element painted with it (its
//! content included), a mask, clip path or filter is resolved per element, and a marker's
//! content is instantiated at every vertex it marks. Ten patterns of ten rectangles each
//! filling with the next make 10^10 elements from 5 kB: counted here before usvg starts.
use std::collections::HashMap;

use resvg::usvg::roxmltree::{Document, Node, NodeId};

use crate::error::{EngineError, ErrorKind, Result};

/// Elements after every reference is replaced by what it references.
pub const MAX_EXPANDED_ELEMENTS: u64 = 2_000_000;
/// A reference to an element holding a reference to ...: each level is a nested walk.
pub const MAX_REFERENCE_DEPTH: usize = 16;

/// Properties whose value may be `url(#id)` and make usvg resolve that element per use.
const URL_PROPERTIES: [&str; 8] = [
    "fill",
    "stroke",
    "clip-path",
    "mask",
    "filter",
    "marker-start",
    "marker-end",
    "marker-mid",
];

pub fn check_expansion(document: &Document<'_>) -> Result<()> {
    let by_id: HashMap<&str, Node<'_, '_>> = document
        .descendants()
        .filter_map(|n| n.attribute("id").map(|id| (id, n)))
        .collect();
    let mut walk = Walk {
        by_id,
        subtrees: subtrees(document),
        stylesheet: stylesheet_references(document),
        counts: HashMap::new(),
    };
    let total = walk.count(document.root_element(), 0);
    if total > MAX_EXPANDED_ELEMENTS {
        return Err(EngineError::new(
            ErrorKind::InputTooLarge,
            format!(
                "SVG references (<use>, patterns, masks, markers, filters) expand to more \
                 than {MAX_EXPANDED_ELEMENTS} elements"
            ),
        ));
    }
    Ok(())
}

/// An element with everything inside it, as written.
#[derive(Clone, Copy, Default)]
struct Subtree {
    elements: u64,
    vertices: u64,
}

struct Walk<'a, 'input> {
    by_id: HashMap<&'a str, Node<'a, 'input>>,
    subtrees: HashMap<NodeId, Subtree>,
    /// `url(#id)` targets named in `<style>` sheets: a rule may apply to any element, so
    /// each element is counted as referencing each of them (an overestimate, never an
    /// underestimate).
    stylesheet: Vec<&'a str>,
    counts: HashMap<NodeId, u64>,
}

impl<'a, 'input> Walk<'a, 'input> {
    fn count(&mut self, node: Node<'a, 'input>, depth: usize) -> u64 {
        if let Some(&count) = self.counts.get(&node.id()) {
            return count;
        }
        // Marked before the walk, so a reference that reaches back adds nothing (usvg
        // drops such cycles); chains deeper than this are counted as over the limit.
        self.counts.insert(node.id(), 0);
        if depth > MAX_REFERENCE_DEPTH {
            return MAX_EXPANDED_ELEMENTS + 1;
        }
        let mut count = 1u64;
        for child in node.children().filter(Node::is_element) {
            count = count.saturating_add(self.count(child, depth));
        }
        let subtree = self.subtrees.get(&node.id()).copied().unwrap_or_default();
        for (target, reference) in element_references(node) {
            let times = match reference {
                Reference::Once => 1,
                Reference::Inherited => subtree.elements,
                Reference::PerVertex => subtree.vertices,
            };
            count = count.saturating_add(self.target(target, depth).saturating_mul(times));
        }
        for at in 0..self.stylesheet.len() {
            count = count.saturating_add(self.target(self.stylesheet[at], depth));
        }
        self.counts.insert(node.id(), count);
        count
    }

    fn target(&mut self, id: &str, depth: usize) -> u64 {
        match self.by_id.get(id) {
            Some(&target) => self.count(target, depth + 1),
            None => 0,
        }
    }
}

/// How many copies of a referenced element usvg makes for the referencing one.
enum Reference {
    Once,
    /// Paint and markers set on a group are inherited: each element inside gets its own.
    Inherited,
    /// `marker-mid`: one at every vertex.
    PerVertex,
}

/// The elements `node` references.
fn element_references<'a>(node: Node<'a, '_>) -> Vec<(&'a str, Reference)> {
    let mut found = Vec::new();
    if let Some(target) = href(node).and_then(|h| h.strip_prefix('#')) {
        // `<use>`, `<feImage>`, and patterns, gradients and filters inheriting another's.
        found.push((target, Reference::Once));
    }
    let style = node.attribute("style").unwrap_or("");
    let declared = style
        .split(';')
        .filter_map(|declaration| declaration.split_once(':'))
        .map(|(name, value)| (name.trim(), value));
    let attributes = URL_PROPERTIES
        .iter()
        .filter_map(|&name| node.attribute(name).map(|value| (name, value)));
    for (name, value) in attributes.chain(declared) {
        let Some(target) = url_target(value) else {
            continue;
        };
        let reference = match name {
            "marker-mid" | "marker" => Reference::PerVertex,
            "fill" | "stroke" | "marker-start" | "marker-end" => Reference::Inherited,
            _ => Reference::Once,
        };
        found.push((target, reference));
    }
    found
}

/// Every element's subtree, children before parents (document order reversed).
fn subtrees(document: &Document<'_>) -> HashMap<NodeId, Subtree> {
    let mut subtrees: HashMap<NodeId, Subtree> = HashMap::new();
    let elements: Vec<Node<'_, '_>> = document.descendants().filter(Node::is_element).collect();
    for node in elements.into_iter().rev() {
        let mut subtree = Subtree {
            elements: 1,
            vertices: vertices(node),
        };
        for child in node.children().filter(Node::is_element) {
            let inner = subtrees[&child.id()];
            subtree.elements = subtree.elements.saturating_add(inner.elements);
            subtree.vertices = subtree.vertices.saturating_add(inner.vertices);
        }
        subtrees.insert(node.id(), subtree);
    }
    subtrees
}

/// The `id` in `url(#id)`, quoted or not.
fn url_target(value: &str) -> Option<&str> {
    let inner = value.trim().strip_prefix("url(")?;
    let inner = inner[..inner.find(')')?].trim();
    let inner = inner.trim_matches(|c| c == '"' || c == '\'');
    inner.strip_prefix('#')
}

/// An upper bound on the vertices of a shape, for the markers drawn at each: every number
/// in its geometry could start a new one.
fn vertices(node: Node<'_, '_>) -> u64 {
    let geometry = node
        .attribute("d")
        .or_else(|| node.attribute("points"))
        .unwrap_or("");
    let numbers = geometry
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter(|token| !token.is_empty())
        .count() as u64;
    numbers.max(2)
}

fn stylesheet_references<'a>(document: &'a Document<'_>) -> Vec<&'a str> {
    let mut targets: Vec<&str> = document
        .descendants()
        .filter(|n| n.has_tag_name("style"))
        .flat_map(|style| style.children().filter_map(|text| text.text()))
        .flat_map(|sheet| {
            sheet
                .match_indices("url(")
                .filter_map(move |(at, _)| url_target(&sheet[at..]))
        })
        .collect();
    targets.sort_unstable();
    targets.dedup();
    targets
}

/// `href`, or SVG 1.1's `xlink:href`.
pub fn href<'a>(node: Node<'a, '_>) -> Option<&'a str> {
    node.attribute("href")
        .or_else(|| node.attribute(("http://www.w3.org/1999/xlink", "href")))
}
