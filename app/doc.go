// Package app implements the crewai-setup subcommands on top of model, render, store, preflight
// and ui. It never
// calls os.Exit: Run returns errors wrapping the sentinels in app.go and main maps them to exit codes.
//
// The command line is cobra with Charm's fang (styled help on a terminal, completions, version).
// Every subcommand lives in its own file as a new*Cmd(sio IO) constructor; commands lists them.
package app
