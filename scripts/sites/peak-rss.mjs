// Preloaded into a site build (node --import): writes the process's peak RSS in KiB to
// $PIXELPOOL_RSS_FILE when it exits. Image work runs in-process with both sharp and pixelpool.
import { writeFileSync } from 'node:fs'

process.on('exit', () => writeFileSync(process.env.PIXELPOOL_RSS_FILE, String(process.resourceUsage().maxRSS)))
