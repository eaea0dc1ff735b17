'use strict'

const { Queue, createQueue } = require('./lib/queue')
const { PixelpoolError, codes } = require('./lib/errors')

module.exports = { createQueue, Queue, PixelpoolError, errorCodes: codes }
