/** GitHub task lists (`- [ ] todo`, `- [x] done`) for markdown-it, rendered as disabled checkboxes. */
import type { MarkdownIt, StateCore, Token } from 'markdown-it';

const TASK_RE = /^\[([ xX])\][ \t]/;

function attrJoin(token: Token, name: string, value: string): void {
  const existing = token.attrGet(name);
  token.attrSet(name, existing ? `${existing} ${value}` : value);
}

function taskLists(state: StateCore): void {
  const tokens = state.tokens;
  for (let i = 2; i < tokens.length; i++) {
    const inline = tokens[i];
    if (inline.type !== 'inline' || tokens[i - 1].type !== 'paragraph_open' || tokens[i - 2].type !== 'list_item_open') continue;
    const m = TASK_RE.exec(inline.content);
    const first = inline.children?.[0];
    if (!m || !first || first.type !== 'text' || !TASK_RE.test(first.content)) continue;
    first.content = first.content.slice(m[0].length);
    inline.content = inline.content.slice(m[0].length);
    const box = new state.Token('html_inline', '', 0);
    box.content = `<input type="checkbox" class="task-list-item-checkbox" disabled${m[1] === ' ' ? '' : ' checked'}> `;
    inline.children!.unshift(box);
    attrJoin(tokens[i - 2], 'class', 'task-list-item');
    // Mark the enclosing list so CSS can drop its bullets.
    for (let j = i - 3, depth = 0; j >= 0; j--) {
      const t = tokens[j];
      if (t.type === 'bullet_list_close' || t.type === 'ordered_list_close') depth++;
      if (t.type === 'bullet_list_open' || t.type === 'ordered_list_open') {
        if (depth === 0) {
          if (!String(t.attrGet('class') ?? '').includes('contains-task-list')) attrJoin(t, 'class', 'contains-task-list');
          break;
        }
        depth--;
      }
    }
  }
}

/** markdown-it plugin: `md.use(taskListPlugin)`. */
export function taskListPlugin(md: MarkdownIt): void {
  md.core.ruler.after('inline', 'task_lists', taskLists);
}
