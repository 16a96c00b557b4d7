// A tiny live task page for the browser tests, bundled by esbuild at test
// time under React 19 or 18. `?mode=live` uses useMephistoLiveTask (statuses,
// connection statuses, live updates both ways); `?mode=rpc` uses
// useMephistoRemoteProcedureTask; `?mode=provider` is the live page under a
// FaustProvider, beside a component reading the same client through
// useFaustClient. `data-react` on <main> is the React the page runs.
import { StrictMode, useEffect, useState, version, type ReactNode } from 'react'
import { createRoot } from 'react-dom/client'
import { createTaskClient } from '@faust/client'
import {
  FaustProvider,
  useFaustClient,
  useMephistoLiveTask,
  useMephistoRemoteProcedureTask,
  useSnapshot,
} from '@faust/react'

function List(props: { readonly id: string; readonly items: readonly string[] }): ReactNode {
  return (
    <ul id={props.id} data-count={props.items.length}>
      {props.items.map((item, index) => (
        <li key={index}>{item}</li>
      ))}
    </ul>
  )
}

function LivePage(): ReactNode {
  const [statuses, setStatuses] = useState<string[]>([])
  const [connections, setConnections] = useState<string[]>([])
  const [updates, setUpdates] = useState<string[]>([])
  const [message, setMessage] = useState('')
  const { agentId, connect, sendLiveUpdate, connectionStatus } = useMephistoLiveTask({
    onStatusUpdate: ({ status }) => setStatuses((all) => [...all, status]),
    onConnectionStatusChange: (status) => setConnections((all) => [...all, status]),
    onLiveUpdate: (update) => setUpdates((all) => [...all, String(update['text'])]),
  })
  useEffect(() => {
    if (agentId !== null) connect(agentId)
  }, [agentId, connect])
  return (
    <main
      id="live"
      data-react={version}
      data-agent={agentId ?? ''}
      data-connection={connectionStatus}
    >
      <List id="statuses" items={statuses} />
      <List id="connections" items={connections} />
      <List id="updates" items={updates} />
      <input id="message" value={message} onChange={(event) => setMessage(event.target.value)} />
      <button id="send" type="button" onClick={() => void sendLiveUpdate({ text: message })}>
        Send
      </button>
    </main>
  )
}

function RpcPage(): ReactNode {
  const { agentId, remoteProcedure, disconnectIssueText } = useMephistoRemoteProcedureTask()
  const [result, setResult] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const call = (name: string): void => {
    remoteProcedure<{ n: number }, unknown>(name)({ n: 21 }).then(
      (value) => setResult(JSON.stringify(value)),
      (failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)),
    )
  }
  return (
    <main id="rpc" data-react={version} data-agent={agentId ?? ''}>
      <button id="call-double" type="button" onClick={() => call('double')}>
        Double
      </button>
      <button id="call-fail" type="button" onClick={() => call('fail')}>
        Fail
      </button>
      {result !== null && <p id="result">{result}</p>}
      {error !== null && <p id="rpc-error">{error}</p>}
      {disconnectIssueText !== undefined && <p id="disconnect-issue">{disconnectIssueText}</p>}
    </main>
  )
}

/** The provider's client as another component sees it. */
function SharedStatus(): ReactNode {
  const live = useSnapshot(useFaustClient().live)
  return <p id="shared" data-agent={live.agentId ?? ''} data-status={live.agentStatus ?? ''} />
}

function page(mode: string | null): ReactNode {
  switch (mode) {
    case 'rpc':
      return <RpcPage />
    case 'provider':
      return (
        <FaustProvider client={createTaskClient({ live: true })}>
          <LivePage />
          <SharedStatus />
        </FaustProvider>
      )
    default:
      return <LivePage />
  }
}

const root = document.getElementById('root')
if (root === null) throw new Error('#root is missing')
createRoot(root).render(
  <StrictMode>{page(new URLSearchParams(location.search).get('mode'))}</StrictMode>,
)
