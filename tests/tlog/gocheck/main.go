// An independent check of jifen's transparency log: Go's golang.org/x/mod/sumdb/note verifies the
// signed checkpoints and golang.org/x/mod/sumdb/tlog the inclusion and consistency proofs, with
// none of jifen's code. Built offline against Debian's golang-golang-x-mod-dev by
// tests/tlog/go_check_test.cc.
//
//	gocheck VKEY inclusion PROOF_FILE
//	gocheck VKEY consistency OLD_CHECKPOINT_FILE PROOF_FILE
//
// Prints "ok" and exits 0 when the proof verifies, exits 1 with the reason otherwise.
package main

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type checkpoint struct {
	origin string
	size   int64
	root   tlog.Hash
}

// openCheckpoint verifies the note's signature with the key and parses its three lines.
func openCheckpoint(text []byte, vkey string) (checkpoint, error) {
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		return checkpoint{}, err
	}
	n, err := note.Open(text, note.VerifierList(verifier))
	if err != nil {
		return checkpoint{}, err
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) < 4 || lines[0] != verifier.Name() {
		return checkpoint{}, fmt.Errorf("checkpoint: bad text %q", n.Text)
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		return checkpoint{}, err
	}
	root, err := tlog.ParseHash(lines[2])
	if err != nil {
		return checkpoint{}, err
	}
	return checkpoint{lines[0], size, root}, nil
}

// hashLines reads base64 hashes up to the blank line; the rest is returned.
func hashLines(lines [][]byte) ([]tlog.Hash, []byte, error) {
	var hashes []tlog.Hash
	for i, line := range lines {
		if len(line) == 0 {
			return hashes, bytes.Join(lines[i+1:], []byte("\n")), nil
		}
		h, err := tlog.ParseHash(string(line))
		if err != nil {
			return nil, nil, err
		}
		hashes = append(hashes, h)
	}
	return nil, nil, fmt.Errorf("no blank line before the checkpoint")
}

func inclusion(vkey string, file []byte) error {
	lines := bytes.Split(file, []byte("\n"))
	if string(lines[0]) != "c2sp.org/tlog-proof@v1" || !bytes.HasPrefix(lines[1], []byte("extra ")) {
		return fmt.Errorf("not a tlog-proof with extra")
	}
	leaf, err := base64.StdEncoding.DecodeString(string(lines[1][6:]))
	if err != nil {
		return err
	}
	index, err := strconv.ParseInt(strings.TrimPrefix(string(lines[2]), "index "), 10, 64)
	if err != nil {
		return err
	}
	proof, rest, err := hashLines(lines[3:])
	if err != nil {
		return err
	}
	c, err := openCheckpoint(rest, vkey)
	if err != nil {
		return err
	}
	return tlog.CheckRecord(proof, c.size, c.root, index, tlog.RecordHash(leaf))
}

func consistency(vkey string, old []byte, file []byte) error {
	o, err := openCheckpoint(old, vkey)
	if err != nil {
		return err
	}
	lines := bytes.Split(file, []byte("\n"))
	size, err := strconv.ParseInt(strings.TrimPrefix(string(lines[0]), "old "), 10, 64)
	if err != nil || size != o.size {
		return fmt.Errorf("old size %q is not the old checkpoint's %d", lines[0], o.size)
	}
	proof, rest, err := hashLines(lines[1:])
	if err != nil {
		return err
	}
	c, err := openCheckpoint(rest, vkey)
	if err != nil {
		return err
	}
	return tlog.CheckTree(proof, c.size, c.root, o.size, o.root)
}

func main() {
	var err error
	switch {
	case len(os.Args) == 4 && os.Args[2] == "inclusion":
		var file []byte
		if file, err = os.ReadFile(os.Args[3]); err == nil {
			err = inclusion(os.Args[1], file)
		}
	case len(os.Args) == 5 && os.Args[2] == "consistency":
		var old, file []byte
		if old, err = os.ReadFile(os.Args[3]); err == nil {
			if file, err = os.ReadFile(os.Args[4]); err == nil {
				err = consistency(os.Args[1], old, file)
			}
		}
	default:
		err = fmt.Errorf("usage: gocheck VKEY inclusion PROOF | consistency OLD PROOF")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gocheck:", err)
		os.Exit(1)
	}
	fmt.Println("ok")
}
