//! Finds the source line of a JSON pointer in YAML text, for diagnostics.

use yaml_rust2::Event;
use yaml_rust2::parser::{MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// The 1-based line where the node at `pointer` (`#/a/b/0`) starts; for a
/// mapping value, the line of its key.
pub fn line_of(text: &str, pointer: &str) -> Option<usize> {
    let target: Vec<String> = pointer
        .trim_start_matches('#')
        .split('/')
        .skip(1)
        .map(|segment| segment.replace("~1", "/").replace("~0", "~"))
        .collect();
    let mut finder = Finder {
        target: &target,
        path: Vec::new(),
        frames: Vec::new(),
        found: None,
    };
    // A syntax error after the node was found does not matter here.
    let _ = Parser::new_from_str(text).load(&mut finder, false);
    finder.found
}

enum Frame {
    /// The key waiting for its value, with the key's line.
    Map(Option<(String, usize)>),
    /// The index of the next item.
    Seq(usize),
}

struct Finder<'a> {
    target: &'a [String],
    /// The segments leading to the innermost open container.
    path: Vec<Option<String>>,
    frames: Vec<Frame>,
    found: Option<usize>,
}

impl Finder<'_> {
    /// A node starts at `line`: returns its segment within its container.
    fn enter(&mut self, line: usize) -> Option<String> {
        let (segment, line) = match self.frames.last() {
            None => (None, line),
            Some(Frame::Map(Some((key, key_line)))) => (Some(key.clone()), *key_line),
            Some(Frame::Map(None)) => (Some(String::new()), line),
            Some(Frame::Seq(index)) => (Some(index.to_string()), line),
        };
        let here = self.path.iter().flatten().chain(segment.iter());
        if here.eq(self.target.iter()) {
            self.found = Some(line);
        }
        segment
    }

    /// A node ended: its container moves on to the next key or index.
    fn leave(&mut self) {
        match self.frames.last_mut() {
            Some(Frame::Map(key)) => *key = None,
            Some(Frame::Seq(index)) => *index += 1,
            None => {}
        }
    }
}

impl MarkedEventReceiver for Finder<'_> {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.found.is_some() {
            return;
        }
        match event {
            Event::Scalar(text, ..) => {
                if let Some(Frame::Map(key @ None)) = self.frames.last_mut() {
                    *key = Some((text, mark.line()));
                } else {
                    self.enter(mark.line());
                    self.leave();
                }
            }
            Event::Alias(_) => {
                self.enter(mark.line());
                self.leave();
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let segment = self.enter(mark.line());
                self.path.push(segment);
                self.frames
                    .push(if matches!(event, Event::MappingStart(..)) {
                        Frame::Map(None)
                    } else {
                        Frame::Seq(0)
                    });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.frames.pop();
                self.path.pop();
                self.leave();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::line_of;

    const TEXT: &str = "a:\n  b:\n    - x\n    - y: 1\n      z: 2\n  c/d: 3\nflow: {k: [1, 2]}\n";

    #[test]
    fn finds_keys_items_and_escaped_segments() {
        assert_eq!(line_of(TEXT, "#"), Some(1));
        assert_eq!(line_of(TEXT, "#/a"), Some(1));
        assert_eq!(line_of(TEXT, "#/a/b"), Some(2));
        assert_eq!(line_of(TEXT, "#/a/b/0"), Some(3));
        assert_eq!(line_of(TEXT, "#/a/b/1/z"), Some(5));
        assert_eq!(line_of(TEXT, "#/a/c~1d"), Some(6));
        assert_eq!(line_of(TEXT, "#/flow/k/1"), Some(7));
    }

    #[test]
    fn missing_nodes_have_no_line() {
        assert_eq!(line_of(TEXT, "#/a/nope"), None);
        assert_eq!(line_of(TEXT, "#/a/b/9"), None);
    }
}
