// The Faust backend: tasks, runs, units and workers in SQLite; registration; runners.
export {}
