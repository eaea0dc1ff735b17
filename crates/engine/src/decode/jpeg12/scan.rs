//! One scan's coefficients (ITU T.81 F.2 sequential, G.1.2 progressive): the blocks of its
//! MCUs in order, restart intervals, and the four kinds of progressive pass.
use super::entropy::{Bits, Huffman};
use super::tables::{corrupt, Frame, Scan, ZIGZAG};
use crate::error::Result;

/// The Huffman tables in force, by destination.
pub struct Tables {
    pub dc: [Option<Huffman>; 4],
    pub ac: [Option<Huffman>; 4],
}

/// What a scan carries from block to block, reset at each restart marker.
struct Running {
    predictions: [i32; 4],
    end_of_band_run: u32,
}

pub fn decode_scan(
    frame: &mut Frame,
    scan: &Scan,
    tables: &Tables,
    restart_interval: usize,
    data: &[u8],
) -> Result<()> {
    let needs_dc = scan.start == 0 && scan.high == 0;
    let needs_ac = scan.end > 0;
    for component in &scan.components {
        if (needs_dc && tables.dc[component.dc_table].is_none())
            || (needs_ac && tables.ac[component.ac_table].is_none())
        {
            return Err(corrupt("scan uses an undefined Huffman table"));
        }
    }
    let pass = Pass::of(frame.progressive, scan);
    let mut bits = Bits::new(data);
    let mut running = Running {
        predictions: [0; 4],
        end_of_band_run: 0,
    };
    // A scan of one component codes its blocks one by one, only those holding samples; an
    // interleaved scan codes MCUs of h x v blocks per component.
    let single = scan.components.len() == 1;
    let (units_x, units_y) = if single {
        let component = &frame.components[scan.components[0].index];
        (component.used_w, component.used_h)
    } else {
        (frame.mcus_x, frame.mcus_y)
    };
    let mut left_in_interval = restart_interval;
    for unit_y in 0..units_y {
        for unit_x in 0..units_x {
            if restart_interval > 0 {
                if left_in_interval == 0 {
                    bits.restart();
                    running.predictions = [0; 4];
                    running.end_of_band_run = 0;
                    left_in_interval = restart_interval;
                }
                left_in_interval -= 1;
            }
            for (n, coded) in scan.components.iter().enumerate() {
                let component = &mut frame.components[coded.index];
                let (across, down) = if single {
                    (1, 1)
                } else {
                    (component.h, component.v)
                };
                for y in 0..down {
                    for x in 0..across {
                        let block_x = unit_x * across + x;
                        let block_y = unit_y * down + y;
                        let at = (block_y * component.blocks_w + block_x) * 64;
                        let block = &mut component.coefficients[at..at + 64];
                        let coder = Coder {
                            bits: &mut bits,
                            dc: tables.dc[coded.dc_table].as_ref(),
                            ac: tables.ac[coded.ac_table].as_ref(),
                            scan,
                        };
                        coder.block(pass, block, &mut running, n)?;
                    }
                }
            }
        }
    }
    Ok(())
}

#[derive(Clone, Copy)]
enum Pass {
    Sequential,
    DcFirst,
    DcRefine,
    AcFirst,
    AcRefine,
}

impl Pass {
    fn of(progressive: bool, scan: &Scan) -> Pass {
        match (progressive, scan.start == 0, scan.high == 0) {
            (false, _, _) => Pass::Sequential,
            (true, true, true) => Pass::DcFirst,
            (true, true, false) => Pass::DcRefine,
            (true, false, true) => Pass::AcFirst,
            (true, false, false) => Pass::AcRefine,
        }
    }
}

struct Coder<'s, 'b, 'd> {
    bits: &'s mut Bits<'d>,
    dc: Option<&'b Huffman>,
    ac: Option<&'b Huffman>,
    scan: &'b Scan,
}

impl Coder<'_, '_, '_> {
    fn block(
        mut self,
        pass: Pass,
        block: &mut [i16],
        running: &mut Running,
        n: usize,
    ) -> Result<()> {
        match pass {
            Pass::Sequential => {
                block[0] = self.dc_value(&mut running.predictions[n])? as i16;
                self.ac_first(block, 1, 63, 0, &mut 0)
            }
            Pass::DcFirst => {
                let value = self.dc_value(&mut running.predictions[n])?;
                block[0] = value.wrapping_shl(self.scan.low as u32) as i16;
                Ok(())
            }
            Pass::DcRefine => {
                if self.bits.bit() {
                    block[0] |= 1 << self.scan.low;
                }
                Ok(())
            }
            Pass::AcFirst => {
                let (start, end, low) = (self.scan.start, self.scan.end, self.scan.low);
                self.ac_first(block, start, end, low, &mut running.end_of_band_run)
            }
            Pass::AcRefine => self.ac_refine(block, &mut running.end_of_band_run),
        }
    }

    /// The DC difference added to the component's prediction.
    fn dc_value(&mut self, prediction: &mut i32) -> Result<i32> {
        let size = self
            .bits
            .decode(self.dc.expect("checked before the scan"))? as u32;
        if size > 16 {
            return Err(corrupt("DC difference is longer than 16 bits"));
        }
        *prediction = prediction.wrapping_add(self.bits.signed(size));
        Ok(*prediction)
    }

    /// AC coefficients `start..=end`, scaled by 2^`low`; an end-of-band run (progressive
    /// only) covers this and the following blocks.
    fn ac_first(
        self,
        block: &mut [i16],
        start: usize,
        end: usize,
        low: u8,
        end_of_band_run: &mut u32,
    ) -> Result<()> {
        if *end_of_band_run > 0 {
            *end_of_band_run -= 1;
            return Ok(());
        }
        let table = self.ac.expect("checked before the scan");
        let mut k = start;
        while k <= end {
            let symbol = self.bits.decode(table)?;
            let (run, size) = ((symbol >> 4) as usize, (symbol & 15) as u32);
            if size == 0 {
                if run < 15 {
                    *end_of_band_run = (1 << run) - 1 + self.bits.take(run as u32);
                    break;
                }
                k += 16;
                continue;
            }
            k += run;
            if k > end {
                return Err(corrupt("AC coefficients run past the block"));
            }
            block[ZIGZAG[k]] = self.bits.signed(size).wrapping_shl(low as u32) as i16;
            k += 1;
        }
        Ok(())
    }

    /// One more bit of each coefficient already non-zero, and new coefficients of +-1 at
    /// this bit (T.81 G.1.2.3).
    fn ac_refine(mut self, block: &mut [i16], end_of_band_run: &mut u32) -> Result<()> {
        let (end, low) = (self.scan.end, self.scan.low);
        let plus = 1i16.wrapping_shl(low as u32);
        let minus = (-1i16).wrapping_shl(low as u32);
        let table = self.ac.expect("checked before the scan");
        let mut k = self.scan.start;
        if *end_of_band_run == 0 {
            while k <= end {
                let symbol = self.bits.decode(table)?;
                let (mut run, size) = ((symbol >> 4) as i32, symbol & 15);
                let mut value = 0;
                if size != 0 {
                    if size != 1 {
                        return Err(corrupt("refining AC coefficient is larger than 1"));
                    }
                    value = if self.bits.bit() { plus } else { minus };
                } else if run != 15 {
                    *end_of_band_run = (1 << run) + self.bits.take(run as u32);
                    break;
                }
                while k <= end {
                    let coefficient = &mut block[ZIGZAG[k]];
                    if *coefficient != 0 {
                        self.refine(coefficient, plus, minus);
                    } else {
                        if run == 0 {
                            break;
                        }
                        run -= 1;
                    }
                    k += 1;
                }
                if value != 0 && k <= end {
                    block[ZIGZAG[k]] = value;
                }
                k += 1;
            }
        }
        if *end_of_band_run > 0 {
            while k <= end {
                let coefficient = &mut block[ZIGZAG[k]];
                if *coefficient != 0 {
                    self.refine(coefficient, plus, minus);
                }
                k += 1;
            }
            *end_of_band_run -= 1;
        }
        Ok(())
    }

    fn refine(&mut self, coefficient: &mut i16, plus: i16, minus: i16) {
        if self.bits.bit() && *coefficient & plus == 0 {
            let step = if *coefficient >= 0 { plus } else { minus };
            *coefficient = coefficient.wrapping_add(step);
        }
    }
}
