module huying

go 1.26
