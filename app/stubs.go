package app

func runInit(args []string, sio IO) error   { return ErrUsage }
func runCheck(args []string, sio IO) error  { return ErrUsage }
func runRotate(args []string, sio IO) error { return ErrUsage }
