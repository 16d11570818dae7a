"""Playing episodes: the harness, one episode run, the runner (local or Ray), the results
journal and the Playwright traces."""
