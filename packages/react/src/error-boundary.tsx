'use client'

import { Component, type ErrorInfo, type ReactNode } from 'react'

/** Props of {@link ErrorBoundary}. */
export interface ErrorBoundaryProps {
  /** Called with `{ error: message, errorInfo }`; pass `handleFatalError` to log it to the backend. */
  readonly handleError?: (report: { readonly error: string; readonly errorInfo: ErrorInfo }) => void
  readonly children?: ReactNode
}

interface ErrorBoundaryState {
  readonly error: Error | null
  readonly errorInfo: ErrorInfo | null
}

/** `mephisto-task`'s error boundary: shows the error and its component stack, and reports it. */
export class ErrorBoundary extends Component<ErrorBoundaryProps, ErrorBoundaryState> {
  override state: ErrorBoundaryState = { error: null, errorInfo: null }

  /** Switches to the error view on the render that failed. */
  static getDerivedStateFromError(error: Error): Partial<ErrorBoundaryState> {
    return { error }
  }

  override componentDidCatch(error: Error, errorInfo: ErrorInfo): void {
    this.setState({ error, errorInfo })
    this.props.handleError?.({ error: error.message, errorInfo })
  }

  override render(): ReactNode {
    const { error, errorInfo } = this.state
    if (error === null) return this.props.children
    return (
      <div>
        <h2>Oops! Something went wrong.</h2>
        <details style={{ whiteSpace: 'pre-wrap' }}>
          {error.toString()}
          <br />
          {errorInfo?.componentStack}
        </details>
      </div>
    )
  }
}
