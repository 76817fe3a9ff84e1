from policykg.cli import main

# Guarded: `load -j` starts worker processes that import the main module again (forkserver), and they
# must not run the command a second time.
if __name__ == "__main__":
    raise SystemExit(main())
