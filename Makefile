# Shortcuts for the tasks in tasks.py (which needs only Python 3.11; make is optional).
.PHONY: book test bench grade-demo clean

book:
	python3 tasks.py book

test:
	python3 tasks.py test

bench:
	python3 tasks.py bench

grade-demo:
	python3 tasks.py grade-demo

clean:
	python3 tasks.py clean
