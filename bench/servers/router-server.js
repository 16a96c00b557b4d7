// The system under test: the built router, alone on its event loop.
import { createRouter } from '@faust/router'
import { serveParent } from './parent-link.js'

const token = process.env['FAUST_BENCH_TOKEN']
if (token === undefined) throw new Error('FAUST_BENCH_TOKEN is not set')

const router = await createRouter({
  backendToken: token,
  host: '127.0.0.1',
  port: 0,
  logLevel: 'silent',
})

serveParent(
  {
    stats: () => router.stats(),
    close: () => router.close(),
  },
  { port: router.port, url: router.url, socketUrl: router.socketUrl },
)
