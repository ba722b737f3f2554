// Front-end tests run in Debian's Chromium through Playwright: never a
// downloaded browser (see the project's shared TESTING.md). The flags keep Chromium
// from calling home on a machine whose network is closed.
import { defineConfig } from "vitest/config";

import { mouse } from "./tests/commands";

// scripts/ensure_chromium.sh installs it there when it is missing.
const chromium = "/usr/bin/chromium";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    browser: {
      enabled: true,
      provider: "playwright",
      // Real mouse moves for tests that look at a drag half-way (tests/commands.ts).
      commands: { mouse },
      headless: true,
      // Room for a map: the default viewport is a phone's.
      viewport: { width: 1280, height: 900 },
      instances: [
        {
          browser: "chromium",
          launch: {
            executablePath: chromium,
            args: [
              "--no-sandbox",
              "--disable-gpu",
              "--disable-quic",
              "--no-first-run",
              "--disable-background-networking",
              "--disable-component-update",
              "--disable-sync",
            ],
          },
        },
      ],
    },
  },
});
