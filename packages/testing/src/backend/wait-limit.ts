/** Longest real-time wait for anything in the backend's tests. */
export const WAIT_MS = 5000
