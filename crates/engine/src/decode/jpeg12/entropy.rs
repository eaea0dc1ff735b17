//! Huffman decoding of entropy-coded data (ITU T.81 F.2.2, annex C): the bit reader with
//! byte stuffing and restart markers, and canonical code tables.
use super::tables::corrupt;
use crate::error::Result;

/// Codes of up to this many bits are found by one table lookup; longer ones by length.
const FAST_BITS: u32 = 9;

pub struct Huffman {
    /// (code length << 8 | value) for every FAST_BITS-bit prefix that starts a short code.
    fast: Vec<u16>,
    /// Per code length 1..=16: the largest code (-1 for none), and where its values start
    /// relative to its smallest code.
    max_code: [i32; 17],
    offset: [i32; 17],
    values: Vec<u8>,
}

impl Huffman {
    pub fn new(counts: &[u8; 16], values: &[u8]) -> Result<Self> {
        let mut table = Huffman {
            fast: vec![0; 1 << FAST_BITS],
            max_code: [-1; 17],
            offset: [0; 17],
            values: values.to_vec(),
        };
        let (mut code, mut first_value) = (0i32, 0i32);
        for length in 1..=16usize {
            let count = counts[length - 1] as i32;
            if code + count > 1 << length {
                return Err(corrupt("Huffman table defines more codes than fit"));
            }
            if count > 0 {
                table.offset[length] = first_value - code;
                table.max_code[length] = code + count - 1;
            }
            for k in 0..count {
                let (this_code, value) = (code + k, values[(first_value + k) as usize]);
                if length as u32 <= FAST_BITS {
                    let spare = FAST_BITS - length as u32;
                    let start = (this_code as usize) << spare;
                    let entry = (length as u16) << 8 | value as u16;
                    table.fast[start..start + (1 << spare)].fill(entry);
                }
            }
            first_value += count;
            code = (code + count) << 1;
        }
        Ok(table)
    }
}

pub struct Bits<'a> {
    data: &'a [u8],
    at: usize,
    /// Unread bits, the next one highest; `count` of them are valid.
    buffer: u64,
    count: u32,
}

impl<'a> Bits<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Bits {
            data,
            at: 0,
            buffer: 0,
            count: 0,
        }
    }

    /// Tops the buffer up to at least 49 bits. At a marker or the end of the data it feeds
    /// zeros, as libjpeg does for a truncated scan.
    fn fill(&mut self) {
        while self.count <= 48 {
            let byte = match self.data.get(self.at) {
                Some(0xFF) if self.data.get(self.at + 1) == Some(&0) => {
                    self.at += 2;
                    0xFF
                }
                Some(0xFF) | None => 0,
                Some(&byte) => {
                    self.at += 1;
                    byte
                }
            };
            self.buffer |= (byte as u64) << (56 - self.count);
            self.count += 8;
        }
    }

    /// The next `n` (at most 16) bits as an unsigned number.
    pub fn take(&mut self, n: u32) -> u32 {
        if n == 0 {
            return 0;
        }
        self.fill();
        let value = (self.buffer >> (64 - n)) as u32;
        self.buffer <<= n;
        self.count -= n;
        value
    }

    pub fn bit(&mut self) -> bool {
        self.take(1) == 1
    }

    /// `size` bits as the signed value they code (T.81 F.2.2.1, EXTEND).
    pub fn signed(&mut self, size: u32) -> i32 {
        if size == 0 {
            return 0;
        }
        let value = self.take(size.min(16)) as i32;
        if value < 1 << (size - 1) {
            value - (1 << size) + 1
        } else {
            value
        }
    }

    pub fn decode(&mut self, table: &Huffman) -> Result<u8> {
        self.fill();
        let peek = (self.buffer >> 48) as u32;
        let entry = table.fast[(peek >> (16 - FAST_BITS)) as usize];
        if entry != 0 {
            let length = (entry >> 8) as u32;
            self.buffer <<= length;
            self.count -= length;
            return Ok(entry as u8);
        }
        for length in FAST_BITS as usize + 1..=16 {
            let code = (peek >> (16 - length)) as i32;
            if code <= table.max_code[length] {
                self.buffer <<= length;
                self.count -= length as u32;
                let index = (table.offset[length] + code) as usize;
                return table
                    .values
                    .get(index)
                    .copied()
                    .ok_or_else(|| corrupt("Huffman code has no value"));
            }
        }
        Err(corrupt("entropy-coded data holds an invalid Huffman code"))
    }

    /// At a restart interval's end: drops the bits left in the byte and the RST marker.
    pub fn restart(&mut self) {
        self.buffer = 0;
        self.count = 0;
        if self.data.get(self.at) == Some(&0xFF)
            && matches!(self.data.get(self.at + 1), Some(0xD0..=0xD7))
        {
            self.at += 2;
        }
    }
}
