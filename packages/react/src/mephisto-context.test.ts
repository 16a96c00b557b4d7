// @vitest-environment jsdom
import { createElement, useContext, type ReactNode } from 'react'
import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { MephistoContext } from './mephisto-context.js'

describe('MephistoContext', () => {
  it('is an empty object by default, as in the reference', () => {
    function Reader(): ReactNode {
      return createElement('output', null, JSON.stringify(useContext(MephistoContext)))
    }
    render(createElement(Reader))
    expect(screen.getByText('{}')).toBeTruthy()
  })
})
