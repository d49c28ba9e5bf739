"""Runs seed notebook 001's code (which kept no outputs) in real PyTorch and prints what each of its cells
displays, as IPython shows a cell's last expression. The expected outputs of the seed 001 port
(examples/src/test/resources/seed001/P*.expected, comment lines dropped, in program order) must equal this
output; rerun by hand to check:

    /usr/bin/python3 tools/golden/seed001.py ../shared/seeds/001_6791936a055f25a2.txt > /tmp/seed001.out
    for f in examples/src/test/resources/seed001/P*.expected; do grep -v '^#!' "$f"; done | diff - /tmp/seed001.out

The notebook text has one statement per line and lost the loops' indentation; the loop bodies are the
commented "step" lines after each `for`, up to the first line at the loop's own level.
"""
import ast
import sys

import torch

LOOP_BODY = {'yhat=net(X) ## yhat 계산', 'loss=mseloss(y.reshape(100,1),yhat)', 'loss.backward()', 'optmz.step()',
             'optmz.zero_grad() ## 누적되는 기울기값 방지', '# step1: yhat', '# step2: loss', '# step3: derivation',
             '# step4: update'}


def pretty(value):
    """IPython's pretty printer for tensors, tuples and lists of them (one line when it fits in 79)."""
    if isinstance(value, (tuple, list)):
        items = [pretty(v) for v in value]
        open_, close = ('(', ')') if isinstance(value, tuple) else ('[', ']')
        one_line = open_ + ', '.join(items) + close
        if '\n' not in one_line and len(one_line) <= 79:
            return one_line
        return open_ + ',\n '.join(item.replace('\n', '\n ') for item in items) + close
    return repr(value)


def code_lines(path):
    lines = open(path, encoding='utf-8').read().split('\n')
    start = lines.index('import torch')
    code, in_loop = [], False
    for line in lines[start:]:
        line = line.rstrip()
        if not line or line.startswith('- ') or line == '-' or line.startswith('아래를'):
            continue
        if line.startswith('model:') or line.startswith('$') or '\\begin' in line:
            continue
        if line.startswith('for '):
            code.append(line)
            in_loop = True
            continue
        if in_loop and line in LOOP_BODY:
            code.append('    ' + line)
            continue
        in_loop = False
        code.append(line)
    return code


def run(path):
    namespace = {}
    lines = code_lines(path)
    for i, line in enumerate(lines):
        if line.startswith('    '):
            continue  # run with its loop header
        if line.startswith('for '):
            body = []
            for next_line in lines[i + 1:]:
                if not next_line.startswith('    '):
                    break
                body.append(next_line)
            exec('\n'.join([line] + body), namespace)
            continue
        try:
            tree = ast.parse(line)
        except SyntaxError:
            continue  # prose between the cells
        # A bare expression is a cell's last line, displayed; manual_seed opens the Data cell, whose
        # last line is an assignment.
        if tree.body and isinstance(tree.body[0], ast.Expr) and not line.startswith('torch.manual_seed'):
            value = eval(line, namespace)
            if value is not None:  # IPython shows nothing for None
                print(pretty(value))
        else:
            exec(line, namespace)


if __name__ == '__main__':
    run(sys.argv[1])
