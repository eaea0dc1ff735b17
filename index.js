'use strict'

const { Queue, createQueue } = require('./lib/queue')
const { PixelpoolError, codes } = require('./lib/errors')
const { gatsbyJobToJob } = require('./lib/gatsby/mapping')

module.exports = { createQueue, Queue, PixelpoolError, errorCodes: codes, gatsbyJobToJob }
