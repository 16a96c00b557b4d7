'use client'

import { createContext } from 'react'

/** `mephisto-task`'s `MephistoContext`: an empty context apps fill with their own values. */
export const MephistoContext = createContext<Record<string, unknown>>({})
