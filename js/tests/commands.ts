// A vitest browser command that moves the real mouse through Playwright, for
// tests that look at the widget in the middle of a drag (userEvent only offers
// whole drag-and-drops). Coordinates are the test page's client coordinates;
// the command maps them onto the runner page the iframe sits in.
import type { BrowserCommand } from "vitest/node";

export type MouseStep = { type: "move"; x: number; y: number; steps?: number } | { type: "down" } | { type: "up" };

export const mouse: BrowserCommand<[steps: MouseStep[]]> = async (ctx, steps) => {
  if (ctx.provider.name !== "playwright") throw new Error("the mouse command needs Playwright");
  const context = ctx as unknown as {
    page: import("playwright").Page;
    frame(): Promise<import("playwright").Frame>;
  };
  const frame = await context.frame();
  const element = await frame.frameElement();
  const box = await element.boundingBox();
  const inner = await frame.evaluate(() => [window.innerWidth, window.innerHeight] as const);
  if (!box) throw new Error("the test iframe has no box");
  const scaleX = box.width / inner[0];
  const scaleY = box.height / inner[1];
  for (const step of steps) {
    if (step.type === "move") {
      await context.page.mouse.move(box.x + step.x * scaleX, box.y + step.y * scaleY, {
        steps: step.steps ?? 1,
      });
    } else if (step.type === "down") {
      await context.page.mouse.down();
    } else {
      await context.page.mouse.up();
    }
  }
};

declare module "@vitest/browser/context" {
  interface BrowserCommands {
    mouse: (steps: MouseStep[]) => Promise<void>;
  }
}
