// An option's default in words, for the generated docs and types alike.

/** The default as written in docs: undefined when the option has none or is required. */
export function defaultInWords(option) {
  if (option.required) return undefined
  if (option.defaultText) return option.defaultText
  const value = option.default
  if (value === undefined) return undefined
  if (typeof value === 'object') return Object.entries(value).map(([format, v]) => `${v} (${format})`).join(', ')
  return typeof value === 'string' ? `'${value}'` : String(value)
}
