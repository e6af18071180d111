package knowledge

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// openRegular opens the knowledge file at path, following symbolic links,
// and returns it with what fstat says of it. Anything but a regular file
// (a device such as /dev/zero, a named pipe, a socket) is refused with a
// problem naming it, before it is opened where a stat can tell: opening a
// named pipe waits for a writer, and a device may never end. advice says
// what to do about such a file.
func openRegular(path, advice string) (*os.File, fs.FileInfo, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, nil, Errors{notRegular(path, st.Mode(), advice)}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	// The name may have been given to something else since the stat.
	if st, err = f.Stat(); err != nil || !st.Mode().IsRegular() {
		f.Close()
		if err != nil {
			return nil, nil, err
		}
		return nil, nil, Errors{notRegular(path, st.Mode(), advice)}
	}
	return f, st, nil
}

// notRegular is the problem of a knowledge file at path that is not a
// regular file but of mode, with advice.
func notRegular(path string, mode fs.FileMode, advice string) Problem {
	what := "not a regular file"
	switch {
	case mode&fs.ModeNamedPipe != 0:
		what = "a named pipe (FIFO), not a file"
	case mode&fs.ModeSocket != 0:
		what = "a socket, not a file"
	case mode&fs.ModeDevice != 0:
		what = "a device, not a file"
	case mode.IsDir():
		what = "a folder, not a file"
	}
	if target, err := os.Readlink(path); err == nil {
		what = fmt.Sprintf("a symbolic link to %s, %s", target, what)
	}
	return Problemf(path, 0, 0, "", "%s: knowledge is read from regular files only; %s", what, advice)
}

// unreadable is the problem of a file or subfolder of a folder, at path,
// that err keeps from being read.
func unreadable(path string, err error) Problem {
	var perr *fs.PathError
	if errors.As(err, &perr) {
		err = perr.Err
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if target, lerr := os.Readlink(path); lerr == nil {
			return Problemf(path, 0, 0, "", "a symbolic link to %s, which does not exist: remove the link, or put back the file it names", target)
		}
		return Problemf(path, 0, 0, "", "it was removed while the folder was read: check the folder again")
	case errors.Is(err, fs.ErrPermission):
		return Problemf(path, 0, 0, "", "cannot read it (%v): let the user faqbot runs as read it, or move it out of the folder", err)
	}
	return Problemf(path, 0, 0, "", "cannot read it (%v): fix it, or move it out of the folder", err)
}
