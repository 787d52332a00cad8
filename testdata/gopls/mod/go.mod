module example.com/goplscheck

go 1.26
