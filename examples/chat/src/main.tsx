// The page: React and `@faust/react`'s `useMephistoTask` (a drop-in for
// mephisto-task 2.0.4's hook), which loads task_config.json, registers the
// worker and submits.
import './style.css'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app.js'

const root = document.getElementById('root')
if (root === null) throw new Error('#root is missing from index.html')
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
