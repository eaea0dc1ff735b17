// An Astro 5 site; PIXELPOOL_ASTRO_SERVICE=1 switches its image service to pixelpool/astro.
import { defineConfig } from 'astro/config'

const service = process.env.PIXELPOOL_ASTRO_SERVICE === '1' ? { entrypoint: 'pixelpool/astro' } : undefined
export default defineConfig({ image: service ? { service } : {} })
