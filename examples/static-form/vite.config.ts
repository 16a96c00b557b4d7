import { defineConfig } from 'vite'
// Shared by the three examples: ../shared/vite-preset.ts (relative asset URLs, one bundle).
import { examplePagePreset } from '../shared/vite-preset.js'

export default defineConfig(examplePagePreset())
