package app

func runRotate(args []string, sio IO) error { return ErrUsage }
