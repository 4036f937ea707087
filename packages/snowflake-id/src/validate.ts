// Argument checks shared by the generator, the layouts and the decoder. Messages follow the
// project's shape: "`name` must be <what is accepted>, got <what came>".

/** Renders a received value for an error message without throwing on exotic inputs. */
export function show(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
    case 'bigint':
      return `${value}n`
    case 'number':
    case 'boolean':
    case 'undefined':
      return String(value)
    case 'symbol':
      return value.toString()
    case 'function':
      return 'a function'
    default:
      return value === null ? 'null' : Array.isArray(value) ? 'an array' : 'an object'
  }
}

/** Throws unless `value` is an integer in [min, max]; TypeError for non-numbers, RangeError otherwise. */
export function checkInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number') {
    throw new TypeError(`\`${name}\` must be an integer from ${min} to ${max}, got ${show(value)}`)
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`\`${name}\` must be an integer from ${min} to ${max}, got ${show(value)}`)
  }
  return value
}
