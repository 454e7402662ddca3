package route_test

import (
	"bytes"

	"huying/classify"
	"huying/models"
)

func loadModel() (*classify.Model, error) { return classify.Load(bytes.NewReader(models.Teddy2020)) }
