// A bare remote-procedure page for the browser tests: it registers through
// useMephistoRemoteProcedureTask and hands its `remoteProcedure` to the test
// as `window.faustCall`, so one `page.evaluate` can fire many calls at once.
// `data-ready` on <main> says `window.faustCall` is set.
import { StrictMode, useEffect, useState, version, type ReactNode } from 'react'
import { createRoot } from 'react-dom/client'
import { useMephistoRemoteProcedureTask } from '@faust/react'

declare global {
  interface Window {
    faustCall?: (name: string, args: unknown) => Promise<unknown>
  }
}

function RpcBurstPage(): ReactNode {
  const { agentId, remoteProcedure, connectionStatus } = useMephistoRemoteProcedureTask()
  const [ready, setReady] = useState(false)
  useEffect(() => {
    if (agentId === null) return
    window.faustCall = (name, args) => remoteProcedure(name)(args)
    setReady(true)
  }, [agentId, remoteProcedure])
  return (
    <main
      id="rpc-burst"
      data-react={version}
      data-agent={agentId ?? ''}
      data-connection={connectionStatus}
      data-ready={ready}
    />
  )
}

const root = document.getElementById('root')
if (root === null) throw new Error('#root is missing')
createRoot(root).render(
  <StrictMode>
    <RpcBurstPage />
  </StrictMode>,
)
