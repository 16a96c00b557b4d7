// @vitest-environment jsdom
import { createElement, type ReactNode } from 'react'
import { render, screen } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { ErrorBoundary } from './error-boundary.js'

describe('ErrorBoundary', () => {
  it('shows the error with its component stack and reports it', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const reports: unknown[] = []
    function Broken(): ReactNode {
      throw new Error('render failed')
    }
    render(
      createElement(
        ErrorBoundary,
        { handleError: (report) => reports.push(report) },
        createElement(Broken),
      ),
    )
    expect(screen.getByRole('heading', { name: 'Oops! Something went wrong.' })).toBeTruthy()
    expect(screen.getByText(/Error: render failed/)).toBeTruthy()
    expect(reports).toEqual([
      {
        error: 'render failed',
        errorInfo: expect.objectContaining({
          componentStack: expect.any(String) as string,
        }) as unknown,
      },
    ])
  })

  it('renders its children when nothing fails', () => {
    render(createElement(ErrorBoundary, null, createElement('p', null, 'fine')))
    expect(screen.getByText('fine')).toBeTruthy()
  })
})
