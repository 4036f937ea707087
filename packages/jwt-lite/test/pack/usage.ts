// Run by `npm run test:pack` against the installed tarball, compiled and run as ESM and as CJS.
import { createSigner, createVerifier, generateSecret, JwtError, sign, verify } from '@hotpath/jwt-lite'
import * as web from '@hotpath/jwt-lite/web'

function assert(ok: boolean, what: string): void {
  if (!ok) throw new Error(`usage check failed: ${what}`)
}

async function main(): Promise<void> {
  const key = generateSecret('HS256')
  const signAccess = createSigner({ key, expiresIn: '15m', issuer: 'auth.example.com', audience: 'api' })
  const verifyAccess = createVerifier({ key, issuer: 'auth.example.com', audience: 'api' })
  const token = signAccess({ sub: 'user-42' })
  assert(verifyAccess(token).payload.sub === 'user-42', 'sign/verify round trip')
  try {
    verifyAccess(`${token}x`)
    assert(false, 'a tampered token is rejected')
  } catch (err) {
    assert(err instanceof JwtError && typeof err.code === 'string', 'JwtError with a code')
  }
  const t2 = sign({ sub: 'x' }, key, { algorithm: 'HS256', expiresIn: '5m' })
  assert(verify(t2, key, { algorithms: ['HS256'] }).payload.sub === 'x', 'one-shot sign/verify')
  const t3 = await web.sign({ sub: 'w' }, key, { algorithm: 'HS256', expiresIn: '5m' })
  assert((await web.verify(t3, key, { algorithms: ['HS256'] })).payload.sub === 'w', 'web entry round trip')
  assert(verify(t3, key, { algorithms: ['HS256'] }).payload.sub === 'w', 'web token verifies in node')
  console.log('jwt-lite ok')
}
main().catch((err) => {
  console.error(err)
  process.exit(1)
})
