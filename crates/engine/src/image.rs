/// A decoded image: 8-bit samples, interleaved, 1 to 4 channels
/// (grey, grey + alpha, RGB, RGBA).
#[derive(Clone, PartialEq, Eq)]
pub struct Image {
    pub width: u32,
    pub height: u32,
    pub channels: u8,
    pub data: Vec<u8>,
}

impl std::fmt::Debug for Image {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Image({}x{}x{})", self.width, self.height, self.channels)
    }
}

impl Image {
    pub fn new(width: u32, height: u32, channels: u8, data: Vec<u8>) -> Self {
        debug_assert_eq!(
            data.len(),
            width as usize * height as usize * channels as usize
        );
        Self {
            width,
            height,
            channels,
            data,
        }
    }

    pub fn filled(width: u32, height: u32, pixel: &[u8]) -> Self {
        let data = pixel.repeat(width as usize * height as usize);
        Self::new(width, height, pixel.len() as u8, data)
    }

    pub fn has_alpha(&self) -> bool {
        self.channels == 2 || self.channels == 4
    }

    pub fn stride(&self) -> usize {
        self.width as usize * self.channels as usize
    }

    pub fn pixel(&self, x: u32, y: u32) -> &[u8] {
        let start = y as usize * self.stride() + x as usize * self.channels as usize;
        &self.data[start..start + self.channels as usize]
    }
}
