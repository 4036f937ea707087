import { Buffer } from 'node:buffer'
import { KeyObject } from 'node:crypto'
import type { AlgorithmInfo } from '../shared/algorithms.js'
import { JwtError } from '../shared/errors.js'
import { checkSecretBytes } from '../shared/key-rules.js'
import type { KeyPlatform } from '../shared/keys.js'
import { NodeHmac } from './hmac.js'

/**
 * HMAC key material for the node entry: bytes, a secret KeyObject, or a string taken as UTF-8.
 *
 * @example
 * ```ts
 * import { createSecretKey } from 'node:crypto'
 * import type { KeyInput } from '@hotpath/jwt-lite'
 * const a: KeyInput = Buffer.from(process.env.JWT_SECRET_B64!, 'base64')
 * const b: KeyInput = createSecretKey(a)
 * ```
 */
export type KeyInput = Uint8Array | string | KeyObject

function isMaterial(value: unknown): value is KeyInput {
  return typeof value === 'string' || value instanceof Uint8Array || value instanceof KeyObject
}

/** Copies the key's bytes (so later mutation of the caller's buffer changes nothing) and checks them. */
export function prepareNodeKey(material: KeyInput, info: AlgorithmInfo, allowShortKeys: boolean): NodeHmac {
  let bytes: Uint8Array
  if (typeof material === 'string') {
    bytes = Buffer.from(material, 'utf8')
  } else if (material instanceof KeyObject) {
    if (material.type !== 'secret') {
      throw new JwtError(
        'ERR_JWT_KEY_INVALID',
        `an asymmetric KeyObject (${material.type} ${material.asymmetricKeyType ?? ''} key) cannot be an HMAC secret`,
      )
    }
    bytes = material.export()
  } else {
    bytes = Uint8Array.prototype.slice.call(material)
  }
  checkSecretBytes(bytes, info, allowShortKeys)
  return new NodeHmac(info, bytes)
}

/** How the node entry recognises and prepares keys. */
export const NODE_KEYS: KeyPlatform<KeyInput, NodeHmac> = Object.freeze({
  isMaterial,
  prepare: prepareNodeKey,
  accepted: 'a Uint8Array/Buffer, a string or a secret KeyObject',
})

/** The same checks for a signer's key, with a TypeError for values that are not key material. */
export function signerKey(material: unknown, info: AlgorithmInfo, allowShortKeys: boolean): NodeHmac {
  if (!isMaterial(material)) {
    throw new TypeError(
      `\`key\` must be ${NODE_KEYS.accepted}, got ${material === null ? 'null' : typeof material}`,
    )
  }
  return prepareNodeKey(material, info, allowShortKeys)
}
