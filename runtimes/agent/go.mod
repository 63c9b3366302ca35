module infraworker.io/agent

go 1.19
