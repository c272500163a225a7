//! Splitting a byte stream into lines as it arrives, whatever the chunk boundaries:
//! a line may come in many chunks, and a chunk may hold many lines.

/// Collects chunks and hands out each complete line (without its `\n` or `\r\n`).
#[derive(Debug, Default)]
pub struct LineSplitter {
    pending: Vec<u8>,
}

impl LineSplitter {
    /// Adds a chunk; returns the lines it completed, in order.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<Vec<u8>> {
        self.pending.extend_from_slice(chunk);
        let mut lines = Vec::new();
        while let Some(end) = self.pending.iter().position(|&byte| byte == b'\n') {
            let mut line: Vec<u8> = self.pending.drain(..=end).collect();
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            lines.push(line);
        }
        lines
    }

    /// The last line, if the stream did not end with a newline.
    pub fn finish(self) -> Option<Vec<u8>> {
        (!self.pending.is_empty()).then_some(self.pending)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_cross_chunk_boundaries() {
        let mut splitter = LineSplitter::default();
        assert!(splitter.push(b"Ad").is_empty());
        assert_eq!(
            splitter.push(b"a\nGrace\r\nLin"),
            [b"Ada".to_vec(), b"Grace".to_vec()]
        );
        assert_eq!(splitter.push(b"us\n\n"), [b"Linus".to_vec(), Vec::new()]);
        assert_eq!(splitter.finish(), None);
    }

    #[test]
    fn an_unterminated_last_line_is_kept() {
        let mut splitter = LineSplitter::default();
        assert!(splitter.push(b"no newline").is_empty());
        assert_eq!(splitter.finish(), Some(b"no newline".to_vec()));
    }
}
