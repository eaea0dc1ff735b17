'use strict'

/**
 * On a terminal, one line redrawn in place: done/total, failures, throughput and ETA.
 * Elsewhere (CI logs, pipes) nothing: the per-output lines are the progress.
 */
class Progress {
  #stream
  #total
  #done = 0
  #failed = 0
  #started = performance.now()
  #lastDraw = 0

  constructor(stream, total) {
    this.#stream = stream.isTTY ? stream : null
    this.#total = total
  }

  tick(failed) {
    this.#done += 1
    if (failed) this.#failed += 1
    const now = performance.now()
    if (this.#stream && (now - this.#lastDraw > 100 || this.#done === this.#total)) {
      this.#lastDraw = now
      this.#draw(now)
    }
  }

  #draw(now) {
    const seconds = (now - this.#started) / 1000
    const rate = this.#done / seconds
    const eta = rate > 0 ? (this.#total - this.#done) / rate : 0
    const width = 24
    const filled = Math.round((width * this.#done) / this.#total)
    const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`
    this.#stream.write(`\r[${bar}] ${this.#done}/${this.#total} · ${this.#failed} failed · ${rate.toFixed(1)} inputs/s · ETA ${eta.toFixed(0)} s `)
  }

  end() {
    if (this.#stream) this.#stream.write('\n')
  }
}

module.exports = { Progress }
