package driver

import (
	"bufio"
	"fmt"
	"go/token"
	"io"
)

// writeText prints one finding a line as file:line:col: message, with
// file relative to dir where it lies inside dir. With explain, the
// steps of the nil chain (the finding's Related entries) follow, one a
// line, indented by a tab.
func writeText(w io.Writer, findings []Finding, dir string, explain bool) error {
	bw := bufio.NewWriter(w)
	for _, f := range findings {
		fmt.Fprintf(bw, "%s: %s\n", textPosition(f.Posn, dir), f.Message)
		if explain {
			for _, s := range f.Related {
				fmt.Fprintf(bw, "\t%s: %s\n", textPosition(s.Posn, dir), s.Message)
			}
		}
	}
	return bw.Flush()
}

// textPosition formats p like token.Position.String, with the file name
// made relative to dir.
func textPosition(p token.Position, dir string) string {
	p.Filename = relPath(dir, p.Filename)
	return p.String()
}
