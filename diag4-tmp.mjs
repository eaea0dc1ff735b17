import sharp from 'sharp'
import { pixelpoolSharp } from './__test__/sharp/oracle.mjs'
const photos = ['budgie-canyon-wren.jpg', 'kodak-kodim05.png', 'budgie-casa-mila.jpg', 'kodak-kodim23.png', 'budgie-noche-bogota.jpg', 'exiforient-portrait-8.jpg'].map((p) => `../shared/corpus/photos/${p}`)
const bytes = async (s, photo, q) => (await s(photo).rotate().resize(640).keepIccProfile().avif({ quality: q }).toBuffer()).length
const ppQ = Array.from({ length: 19 }, (_, i) => 10 + i * 5)
for (const sq of [30, 40, 50, 60, 70, 80, 90]) {
  const ratios = []
  for (const photo of photos) {
    const target = await bytes(sharp, photo, sq)
    const sizes = []; for (const q of ppQ) sizes.push(await bytes(pixelpoolSharp, photo, q))
    // interpolate the pp quality giving target bytes
    let best = ppQ.at(-1)
    for (let i = 1; i < ppQ.length; i++) if (sizes[i] >= target) { const t = (target - sizes[i - 1]) / (sizes[i] - sizes[i - 1]); best = ppQ[i - 1] + t * 5; break }
    ratios.push(best.toFixed(1))
  }
  console.log('sharp q', sq, '-> pixelpool q at equal bytes:', ratios.join(' '))
}
