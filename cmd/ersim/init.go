package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"ersim/scenarios"
)

func cmdInit(stdout, stderr io.Writer, args []string) int {
	fs := flag.NewFlagSet("init", flag.ContinueOnError)
	fs.SetOutput(stderr)
	tmpl := fs.String("template", "lov-primary-care", "the template: "+strings.Join(scenarios.TemplateNames(), ", "))
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), `Usage: ersim init [--template NAME] FILE

Writes a small, commented, valid scenario to FILE to start from (it refuses to
overwrite a file). Templates: %s.
Then: edit it (docs/scenario-reference.md lists every key), "ersim validate FILE",
"ersim run FILE". For completion in an editor, "ersim schema > ersim.schema.json" and
put "#:schema ./ersim.schema.json" on the file's first line (Taplo, Even Better TOML).

Flags:
`, strings.Join(scenarios.TemplateNames(), ", "))
		fs.PrintDefaults()
	}
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		fs.Usage()
		return exitUsage
	}
	text, err := scenarios.Template(*tmpl)
	if err != nil {
		return fail(stderr, err)
	}
	f, err := os.OpenFile(pos[0], os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if os.IsExist(err) {
			fmt.Fprintf(stderr, "ersim init: %s exists; allowed: a new file name (init never overwrites)\n", pos[0])
			return exitUsage
		}
		return fail(stderr, err)
	}
	if _, err := f.Write(text); err != nil {
		f.Close()
		os.Remove(pos[0])
		return fail(stderr, err)
	}
	if err := f.Close(); err != nil {
		return fail(stderr, err)
	}
	fmt.Fprintf(stdout, "Wrote %s from the %s template. Next: edit it, then \"ersim validate %s\" and \"ersim run %s\".\n", pos[0], *tmpl, pos[0], pos[0])
	return exitOK
}

func cmdSchema(stdout, stderr io.Writer, args []string) int {
	fs := flag.NewFlagSet("schema", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: ersim schema > ersim.schema.json

Prints the JSON Schema of scenario files, generated from the definitions the validator
uses (types, allowed values, numeric bounds). For completion and checking while
editing, put "#:schema ./ersim.schema.json" on a scenario's first line (Taplo, the
"Even Better TOML" extension of VS Code). "ersim validate" remains the full check.
`)
	}
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 0 {
		fs.Usage()
		return exitUsage
	}
	b, err := scenarios.Schema()
	if err != nil {
		return fail(stderr, err)
	}
	fmt.Fprintln(stdout, string(b))
	return exitOK
}
