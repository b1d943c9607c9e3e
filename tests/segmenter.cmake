zhseg_test(segmenter test_segmenter.c TIMEOUT 600)
