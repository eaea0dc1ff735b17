'use strict'

const { Queue, createQueue } = require('./lib/queue')
const { PixelpoolError, codes } = require('./lib/errors')
const { gatsbyJobToJob } = require('./lib/gatsby/mapping')
const { joinInputs } = require('./lib/join')
const { textInput } = require('./lib/text')

module.exports = { createQueue, Queue, PixelpoolError, errorCodes: codes, gatsbyJobToJob, joinInputs, textInput }
