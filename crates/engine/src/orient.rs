//! The eight rotations and mirrorings of a rectangle (EXIF orientations, `rotate`, `flip`,
//! `flop`), composed into one transform so each image is rearranged at most once.

use crate::image::Image;

/// Applied to source coordinates in this order: swap axes, mirror x, mirror y.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Transform {
    pub transpose: bool,
    pub mirror_x: bool,
    pub mirror_y: bool,
}

impl Transform {
    pub const IDENTITY: Transform = Transform {
        transpose: false,
        mirror_x: false,
        mirror_y: false,
    };
    const FLOP: Transform = Transform {
        transpose: false,
        mirror_x: true,
        mirror_y: false,
    };
    const FLIP: Transform = Transform {
        transpose: false,
        mirror_x: false,
        mirror_y: true,
    };
    const ROTATE_90: Transform = Transform {
        transpose: true,
        mirror_x: true,
        mirror_y: false,
    };
    const ROTATE_180: Transform = Transform {
        transpose: false,
        mirror_x: true,
        mirror_y: true,
    };
    const ROTATE_270: Transform = Transform {
        transpose: true,
        mirror_x: false,
        mirror_y: true,
    };

    /// What turns an image stored with this EXIF orientation upright.
    pub fn from_exif(orientation: u8) -> Transform {
        match orientation {
            2 => Self::FLOP,
            3 => Self::ROTATE_180,
            4 => Self::FLIP,
            5 => Transform {
                transpose: true,
                mirror_x: false,
                mirror_y: false,
            },
            6 => Self::ROTATE_90,
            7 => Transform {
                transpose: true,
                mirror_x: true,
                mirror_y: true,
            },
            8 => Self::ROTATE_270,
            _ => Self::IDENTITY,
        }
    }

    /// Clockwise rotation by a multiple of 90 degrees.
    pub fn rotation(degrees: u16) -> Transform {
        match degrees % 360 {
            90 => Self::ROTATE_90,
            180 => Self::ROTATE_180,
            270 => Self::ROTATE_270,
            _ => Self::IDENTITY,
        }
    }

    pub fn flip() -> Transform {
        Self::FLIP
    }

    pub fn flop() -> Transform {
        Self::FLOP
    }

    pub fn is_identity(self) -> bool {
        self == Self::IDENTITY
    }

    pub fn swaps_axes(self) -> bool {
        self.transpose
    }

    /// `self` followed by `next`.
    pub fn then(self, next: Transform) -> Transform {
        let (a, b) = (self.matrix(), next.matrix());
        let m = [
            [
                b[0][0] * a[0][0] + b[0][1] * a[1][0],
                b[0][0] * a[0][1] + b[0][1] * a[1][1],
            ],
            [
                b[1][0] * a[0][0] + b[1][1] * a[1][0],
                b[1][0] * a[0][1] + b[1][1] * a[1][1],
            ],
        ];
        Self::from_matrix(m)
    }

    /// The transform that undoes this one.
    pub fn inverse(self) -> Transform {
        let m = self.matrix();
        Self::from_matrix([[m[0][0], m[1][0]], [m[0][1], m[1][1]]])
    }

    /// The same transform as an optional flop followed by a clockwise rotation: the order
    /// an output applies its own (sharp mirrors before it turns).
    pub fn as_flop_and_rotation(self) -> (bool, u16) {
        [0, 90, 180, 270]
            .into_iter()
            .flat_map(|degrees| [(false, degrees), (true, degrees)])
            .find(|&(flop, degrees)| {
                let rotation = Transform::rotation(degrees);
                self == if flop {
                    Self::FLOP.then(rotation)
                } else {
                    rotation
                }
            })
            .expect("the eight transforms are rotations with or without a flop")
    }

    /// As a signed permutation matrix acting on centred coordinates.
    fn matrix(self) -> [[i8; 2]; 2] {
        let sx = if self.mirror_x { -1 } else { 1 };
        let sy = if self.mirror_y { -1 } else { 1 };
        if self.transpose {
            [[0, sx], [sy, 0]]
        } else {
            [[sx, 0], [0, sy]]
        }
    }

    fn from_matrix(m: [[i8; 2]; 2]) -> Transform {
        if m[0][0] == 0 {
            Transform {
                transpose: true,
                mirror_x: m[0][1] < 0,
                mirror_y: m[1][0] < 0,
            }
        } else {
            Transform {
                transpose: false,
                mirror_x: m[0][0] < 0,
                mirror_y: m[1][1] < 0,
            }
        }
    }

    pub fn apply(self, image: &Image) -> Image {
        let (width, height) = if self.transpose {
            (image.height, image.width)
        } else {
            (image.width, image.height)
        };
        let channels = image.channels as usize;
        let mut data = vec![0u8; image.data.len()];
        for y in 0..height {
            let unmirrored_y = if self.mirror_y { height - 1 - y } else { y };
            let row =
                &mut data[y as usize * width as usize * channels..][..width as usize * channels];
            for (x, pixel) in row.chunks_exact_mut(channels).enumerate() {
                let x = x as u32;
                let unmirrored_x = if self.mirror_x { width - 1 - x } else { x };
                let (sx, sy) = if self.transpose {
                    (unmirrored_y, unmirrored_x)
                } else {
                    (unmirrored_x, unmirrored_y)
                };
                pixel.copy_from_slice(image.pixel(sx, sy));
            }
        }
        Image::new(width, height, image.channels, data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_orientation_has_an_inverse_and_a_flop_with_rotation() {
        for orientation in 1..=8 {
            let t = Transform::from_exif(orientation);
            assert!(t.then(t.inverse()).is_identity(), "{orientation}");
            let (flop, degrees) = t.as_flop_and_rotation();
            let mut again = Transform::IDENTITY;
            if flop {
                again = again.then(Transform::flop());
            }
            assert_eq!(again.then(Transform::rotation(degrees)), t, "{orientation}");
        }
    }

    /// A 3x2 grey image whose pixels are numbered 0..6 row by row.
    fn numbered() -> Image {
        Image::new(3, 2, 1, vec![0, 1, 2, 3, 4, 5])
    }

    #[test]
    fn rotations_move_pixels_clockwise() {
        let rotated = Transform::rotation(90).apply(&numbered());
        assert_eq!((rotated.width, rotated.height), (2, 3));
        assert_eq!(rotated.data, vec![3, 0, 4, 1, 5, 2]);
        assert_eq!(
            Transform::rotation(180).apply(&numbered()).data,
            vec![5, 4, 3, 2, 1, 0]
        );
        assert_eq!(
            Transform::rotation(270).apply(&numbered()).data,
            vec![2, 5, 1, 4, 0, 3]
        );
    }

    #[test]
    fn flip_and_flop_mirror() {
        assert_eq!(
            Transform::flip().apply(&numbered()).data,
            vec![3, 4, 5, 0, 1, 2]
        );
        assert_eq!(
            Transform::flop().apply(&numbered()).data,
            vec![2, 1, 0, 5, 4, 3]
        );
    }

    #[test]
    fn composition_matches_applying_in_turn() {
        let all: Vec<Transform> = (1..=8).map(Transform::from_exif).collect();
        for &first in &all {
            for &second in &all {
                let in_turn = second.apply(&first.apply(&numbered()));
                assert_eq!(
                    first.then(second).apply(&numbered()),
                    in_turn,
                    "{first:?} then {second:?}"
                );
            }
        }
    }

    #[test]
    fn four_quarter_turns_are_identity() {
        let quarter = Transform::rotation(90);
        assert!(quarter
            .then(quarter)
            .then(quarter)
            .then(quarter)
            .is_identity());
    }
}
